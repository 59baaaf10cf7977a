"""Template context that every workspace page needs: who is signed in, in which role and unit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kaari.access.models import Unit, User

ROLE_NAMES = {
    "physician": _("Physician"),
    "nurse": _("Nurse"),
    "social_worker": _("Social worker"),
    "pharmacist": _("Pharmacist"),
    "secretary": _("Secretary"),
    "admin": _("Administrator"),
    "resident": _("Resident"),
    "integration": _("Integration"),
}


@dataclass(frozen=True)
class SignedIn:
    name: str
    role: str
    unit: str


def signed_in(user: User) -> SignedIn:
    unit = Unit.objects.filter(organization_id=user.organization_id).values_list("name", flat=True).first()
    return SignedIn(
        name=user.get_full_name() or user.username,
        role=str(ROLE_NAMES.get(user.role, user.role)),
        unit=unit or user.organization_id,
    )


def professional(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    return {"signed_in": signed_in(user)}
