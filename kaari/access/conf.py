"""The access app's settings: each from Django settings when set there, else from the environment."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any

from django.conf import settings

from kaari import config


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def recent_relationship_days() -> int:
    """How long an ended Encounter, EpisodeOfCare, Appointment or CareTeam membership still counts."""
    return int(_setting("KAARI_RECENT_RELATIONSHIP_DAYS", 90))


def totp_required() -> bool:
    return bool(_setting("KAARI_TOTP_REQUIRED", config.env_flag("KAARI_TOTP_REQUIRED", default=False)))


def lockout_failures() -> int:
    return int(_setting("KAARI_SIGNIN_LOCKOUT_FAILURES", config.env_int("KAARI_SIGNIN_LOCKOUT_FAILURES", 5)))


def lockout_minutes() -> int:
    return int(_setting("KAARI_SIGNIN_LOCKOUT_MINUTES", config.env_int("KAARI_SIGNIN_LOCKOUT_MINUTES", 15)))


def token_lifetime_seconds() -> int:
    return int(_setting("KAARI_TOKEN_LIFETIME_SECONDS", config.env_int("KAARI_TOKEN_LIFETIME_SECONDS", 3600)))


def token_state_cache_seconds() -> float:
    """How long a process trusts what it read about a user's tokens; the revocation delay."""
    return float(_setting("KAARI_TOKEN_STATE_CACHE_SECONDS", config.env_int("KAARI_TOKEN_STATE_CACHE_SECONDS", 30)))


def emergency_access_hours() -> int:
    return int(_setting("KAARI_EMERGENCY_ACCESS_HOURS", config.env_int("KAARI_EMERGENCY_ACCESS_HOURS", 4)))


def turvakielto_disclose_roles() -> frozenset[str]:
    """Roles that see a turvakielto client's address; none by default."""
    raw = _setting("KAARI_TURVAKIELTO_DISCLOSE_ROLES", None)
    if raw is None:
        import os

        raw = os.environ.get("KAARI_TURVAKIELTO_DISCLOSE_ROLES", "")
    values = raw.split(",") if isinstance(raw, str) else list(raw)
    return frozenset(v.strip() for v in values if v.strip())


def default_keeper() -> str:
    """The keeper (the county) of what integrations and residents write when no unit is the keeper."""
    import os

    return str(_setting("KAARI_DEFAULT_KEEPER", os.environ.get("KAARI_DEFAULT_KEEPER", "")))


def resident_writable_types() -> frozenset[str]:
    default = ("QuestionnaireResponse", "Observation", "Communication", "AllergyIntolerance", "MedicationStatement")
    return frozenset(_setting("KAARI_RESIDENT_WRITABLE_TYPES", default))


def client_level_types() -> frozenset[str]:
    """Types about the client as a whole that a relationship in either register lets a professional read."""
    return frozenset(_setting("KAARI_CLIENT_LEVEL_TYPES", ("Patient", "RelatedPerson", "Consent")))


def _key(purpose: str, override: str) -> bytes:
    import os

    explicit = os.environ.get(override, "") or str(_setting(override, "") or "")
    return _derived(explicit or f"{purpose}:{settings.SECRET_KEY}")


@lru_cache(maxsize=8)
def _derived(material: str) -> bytes:
    return hashlib.sha256(material.encode()).digest()


def token_key() -> bytes:
    return _key("kaari-token", "KAARI_TOKEN_KEY")


def audit_key() -> bytes:
    """The key of the audit hash chain. Keep KAARI_AUDIT_KEY outside the database so its admins cannot reseal."""
    return _key("kaari-audit", "KAARI_AUDIT_KEY")
