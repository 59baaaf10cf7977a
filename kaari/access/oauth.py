"""OAuth 2.0 for the FHIR API: the token endpoint (client-credentials grant) and the SMART configuration.

Interactive sign-in for SMART apps (the authorization-code flow) is where an OpenID Connect provider for
residents' strong identification plugs in; see docs/access.md.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from kaari.access import services
from kaari.access.roles import ROLE_SCOPES

if TYPE_CHECKING:
    from kaari.fhir.rest.context import RequestContext


def _base(request: HttpRequest) -> str:
    from django.conf import settings

    configured = str(getattr(settings, "KAARI_BASE_URL", "") or "")
    return configured or request.build_absolute_uri("/").rstrip("/")


def smart_configuration(request: HttpRequest) -> dict[str, object]:
    scopes = sorted({scope for scopes in ROLE_SCOPES.values() for scope in scopes if "/*." in scope})
    return {
        "issuer": _base(request),
        "token_endpoint": f"{_base(request)}/oauth/token",
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "scopes_supported": scopes,
        "capabilities": ["client-confidential-symmetric", "permission-v1", "permission-v2"],
    }


@require_GET
def smart_configuration_view(request: HttpRequest) -> HttpResponse:
    return JsonResponse(smart_configuration(request))


def smart_configuration_route(ctx: RequestContext) -> HttpResponse:
    return ctx.json_response(smart_configuration(ctx.request))


def _oauth_error(error: str, status: int = 400) -> HttpResponse:
    response = JsonResponse({"error": error}, status=status)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_POST
def token_endpoint(request: HttpRequest) -> HttpResponse:
    """RFC 6749 section 4.4: client credentials, by HTTP Basic or in the form body."""
    if request.POST.get("grant_type") != "client_credentials":
        return _oauth_error("unsupported_grant_type")
    client_id, client_secret = request.POST.get("client_id", ""), request.POST.get("client_secret", "")
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("basic "):
        try:
            client_id, _, client_secret = base64.b64decode(header[6:]).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return _oauth_error("invalid_client", 401)
    try:
        issued = services.client_credentials_exchange(
            client_id=client_id, client_secret=client_secret, scope=request.POST.get("scope") or None
        )
    except services.AccessError as exc:
        error = str(exc)
        return _oauth_error(error, 401 if error == "invalid_client" else 400)
    response = JsonResponse(
        {"access_token": issued.token, "token_type": "Bearer", "expires_in": issued.expires_in, "scope": issued.scope}
    )
    response["Cache-Control"] = "no-store"
    return response
