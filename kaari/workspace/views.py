"""The workspace's entry: `/` sends a signed-out professional to sign in, and a signed-in one to the start page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kaari.access.authentication import session_principal


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    principal = session_principal(request)
    if principal is None:
        if request.user.is_authenticated:  # password done, second factor not yet
            return HttpResponseRedirect("/signin/totp/setup")
        return HttpResponseRedirect("/signin?next=/")
    if not principal.is_professional:
        return HttpResponseRedirect("/account")
    return render(request, "workspace/start.html", {})
