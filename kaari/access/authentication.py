"""Who is asking: the bearer token of an API request, or the signed-in user of a browser session."""

from __future__ import annotations

from django.http import HttpRequest

from kaari.access.audit.log import AccessScope
from kaari.access.gate import AccessGate
from kaari.access.principal import Principal
from kaari.access.roles import Kind
from kaari.access.scopes import ScopeSet
from kaari.access.tokens import InvalidToken, principal_from_token, principal_of_user
from kaari.fhir.store import StoreError

ANONYMOUS = Principal(user_id=None, username="anonymous", kind=Kind.PROFESSIONAL, role="", scopes=ScopeSet(()))


class NotAuthenticated(StoreError):
    """401: no valid credentials. The edge adds `WWW-Authenticate: Bearer`."""

    status = 401
    code = "login"


def bearer_principal(request: HttpRequest) -> Principal:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("This request needs a bearer token (Authorization: Bearer ...)")
    try:
        return principal_from_token(token.strip())
    except InvalidToken as exc:
        raise NotAuthenticated(f"The bearer token is not valid: {exc}") from exc


def session_principal(request: HttpRequest) -> Principal | None:
    """The signed-in user of a browser session, once any second factor is done."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.session.get("kaari_verified"):
        return None
    return principal_of_user(user)


def request_gate(request: HttpRequest, principal: Principal) -> AccessGate:
    """The gate for one request or page view; its log entry is written by `scope_close`."""
    path = request.get_full_path()
    scope = AccessScope(
        principal=principal,
        request=f"{request.method} {path}",
        address=str(request.META.get("REMOTE_ADDR", "")),
    )
    return AccessGate(principal, scope=scope)
