"""WSGI entry point. FHIR API and CDS Hooks requests take a lean handler without the browser middleware (sessions,
CSRF, messages, locale), which they do not use; everything else takes Django's full stack."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest
from django.urls import ResolverMatch

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaari.settings")

import django  # noqa: E402

django.setup(set_prefix=False)

from django.conf import settings  # noqa: E402

StartResponse = Callable[..., Any]
# Bearer-token APIs: the FHIR API and the CDS Hooks services.
API_PREFIXES = ("/fhir/", "/cds-services/")


class ApiHandler(WSGIHandler):
    """Django's handler with the API's own, shorter middleware list."""

    def load_middleware(self, is_async: bool = False) -> None:
        full = settings.MIDDLEWARE
        try:
            settings.MIDDLEWARE = list(settings.KAARI_API_MIDDLEWARE)
            super().load_middleware(is_async=is_async)
        finally:
            settings.MIDDLEWARE = full

    def resolve_request(self, request: HttpRequest) -> ResolverMatch:
        request.urlconf = settings.KAARI_API_URLCONF
        return super().resolve_request(request)


class KaariApplication:
    def __init__(self) -> None:
        self.api = ApiHandler()
        self.site = WSGIHandler()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith(API_PREFIXES) or path in ("/fhir", "/cds-services"):
            return self.api(environ, start_response)
        return self.site(environ, start_response)


application = KaariApplication()
