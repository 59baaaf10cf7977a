"""Browser page views that show client data: signed-in users only, one access log entry per page view."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from kaari.access.authentication import request_gate, session_principal
from kaari.fhir.store import AccessDenied, Store

PageView = Callable[..., HttpResponse]


def client_data_page(view: PageView) -> PageView:
    """Give the view `store`, behind the signed-in user's gate, and write the page view's log entry before the
    page leaves. Unsigned users go to the sign-in page; a refused access answers 403 (and is logged)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        principal = session_principal(request)
        if principal is None:
            return HttpResponseRedirect(f"/signin?next={request.get_full_path()}")
        gate = request_gate(request, principal)
        try:
            response = view(request, *args, store=Store(gate), **kwargs)
        except AccessDenied as exc:
            response = HttpResponse(str(exc), status=403, content_type="text/plain; charset=utf-8")
        gate.scope_close(status=response.status_code)
        return response

    return wrapper
