"""Bearer tokens: self-contained, HMAC-SHA256 signed, verified without a database query.

`kaari1.<payload>.<signature>`, both base64url. The payload names the user, the token generation, the
scopes and the expiry. What the token does not carry (role, unit, whether the user is still active) comes
from an in-process cache of the user's state, refreshed at most every KAARI_TOKEN_STATE_CACHE_SECONDS.

Revocation: deactivating a user, or raising their `token_generation` (`kaari token --revoke USERNAME`),
invalidates every token they hold once the caches have refreshed, i.e. within that many seconds.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass, replace

from kaari.access import conf
from kaari.access.principal import Principal, UnitSettings, scopes_for
from kaari.access.scopes import scope_set
from kaari.lib.jsonutil import JsonError, json_dumps, json_loads

PREFIX = "kaari1"


class InvalidToken(Exception):
    """The token is malformed, forged, expired or revoked."""


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_in: int
    scope: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(payload: str) -> str:
    return _b64(hmac.new(conf.token_key(), payload.encode(), hashlib.sha256).digest())


def token_issue(*, user_id: int, generation: int, scopes: str, lifetime: int | None = None) -> IssuedToken:
    lifetime = lifetime or conf.token_lifetime_seconds()
    now = int(time.time())
    claims = {"sub": user_id, "gen": generation, "scp": scopes, "iat": now, "exp": now + lifetime}
    claims["jti"] = secrets.token_urlsafe(9)
    payload = _b64(json_dumps(claims))
    return IssuedToken(token=f"{PREFIX}.{payload}.{_sign(payload)}", expires_in=lifetime, scope=scopes)


def token_claims(token: str) -> dict[str, object]:
    """The verified claims of a token, or InvalidToken."""
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise InvalidToken("not a Kaari token")
    if not hmac.compare_digest(parts[2], _sign(parts[1])):
        raise InvalidToken("bad signature")
    try:
        claims = json_loads(_unb64(parts[1]))
    except (JsonError, ValueError) as exc:
        raise InvalidToken("unreadable payload") from exc
    if not isinstance(claims, dict) or not isinstance(claims.get("exp"), int):
        raise InvalidToken("unreadable payload")
    if claims["exp"] <= time.time():
        raise InvalidToken("expired")
    return claims


@dataclass(frozen=True)
class UserState:
    active: bool
    generation: int
    principal: Principal  # with the role's full scopes; the token narrows them


_cache: dict[int, tuple[float, UserState]] = {}
_cache_lock = threading.Lock()


def user_state(user_id: int) -> UserState | None:
    cached = _cache.get(user_id)
    now = time.monotonic()
    if cached is not None and cached[0] > now:
        return cached[1]
    state = _user_state_load(user_id)
    if state is not None:
        with _cache_lock:
            _cache[user_id] = (now + conf.token_state_cache_seconds(), state)
    return state


def user_state_forget(user_id: int | None = None) -> None:
    """Drop cached user state in this process (all users when None), e.g. after a role change."""
    with _cache_lock:
        if user_id is None:
            _cache.clear()
            _verified.clear()
        else:
            _cache.pop(user_id, None)


def _user_state_load(user_id: int) -> UserState | None:
    from kaari.access.models import User

    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return None
    return UserState(active=user.is_active, generation=user.token_generation, principal=principal_of_user(user))


def principal_of_user(user: object) -> Principal:
    """The principal of a user, with the full scopes of their role (or their granted scopes, for clients)."""
    from kaari.access.models import Unit, User

    assert isinstance(user, User)
    unit = UnitSettings()
    if user.organization_id:
        config = Unit.objects.filter(organization_id=user.organization_id).first()
        if config is not None:
            unit = UnitSettings(
                write_register=config.write_register,
                extra_registers=tuple(config.extra_register_list()),
                cross_register_basis=config.cross_register_basis,
            )
    scopes = scope_set(user.scopes) if user.scopes else scopes_for(user.role, None)
    return Principal(
        user_id=user.pk,
        username=user.get_username(),
        kind=user.kind,
        role=user.role,
        scopes=scopes,
        organization_id=user.organization_id,
        practitioner_id=user.practitioner_id,
        practitioner_role_id=user.practitioner_role_id,
        patient_id=user.patient_id,
        unit=unit,
    )


# Tokens this process has verified, with the principal made for them under the user state seen then. A
# repeated token costs a dictionary lookup; a refreshed user state (the revocation path) makes a fresh principal.
_verified: dict[str, tuple[dict[str, object], UserState, Principal]] = {}
VERIFIED_MAX = 20_000


def principal_from_token(token: str) -> Principal:
    """The principal a bearer token speaks for, or InvalidToken."""
    cached = _verified.get(token)
    claims = cached[0] if cached is not None else token_claims(token)
    if int(str(claims["exp"])) <= time.time():
        raise InvalidToken("expired")
    user_id = claims.get("sub")
    if not isinstance(user_id, int):
        raise InvalidToken("no subject")
    state = user_state(user_id)
    if cached is not None and state is cached[1]:
        return cached[2]
    if state is None or not state.active or state.generation != claims.get("gen"):
        raise InvalidToken("revoked")
    granted = scope_set(str(claims.get("scp", "")))
    allowed = state.principal.scopes
    # A token never carries more than the role allows now, even if the role was narrowed after issue.
    scopes = [
        s
        for s in granted.scopes
        if any(
            a.context == s.context and a.resource_type in ("*", s.resource_type) and s.operations <= a.operations
            for a in allowed.scopes
        )
    ]
    principal = replace(state.principal, scopes=type(granted)(tuple(scopes)))
    if len(_verified) >= VERIFIED_MAX:
        _verified.clear()
    _verified[token] = (claims, state, principal)
    return principal
