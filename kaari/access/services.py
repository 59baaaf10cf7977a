"""Use cases of the access app: users, tokens, client credentials, break-the-glass. Views and commands call these."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction

from kaari.access import conf
from kaari.access.gate import AccessGate
from kaari.access.models import EmergencyAccess, User
from kaari.access.principal import scopes_for, system_principal
from kaari.access.roles import PROFESSIONAL_ROLES, Kind, Role, role_kind
from kaari.access.scopes import scope_set
from kaari.access.tokens import IssuedToken, token_issue, user_state_forget
from kaari.fhir.store import ResourceNotFound, Store, StoreError

ROLE_SYSTEM = "https://kaari.fi/fhir/CodeSystem/role"


class AccessError(Exception):
    """A use case cannot be carried out; the message says why, for a person."""


@dataclass(frozen=True)
class CreatedUser:
    user: User
    client_secret: str = ""


def system_store(job: str) -> Store:
    """The store for a maintenance job: system access, every operation in the access log under the job's name."""
    return Store(AccessGate(system_principal(job)))


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    organization: str = "",
    password: str | None = None,
    patient: str = "",
) -> CreatedUser:
    """A user of the role. Professionals get a Practitioner and a PractitionerRole in `organization`;
    residents link to their `patient`; an integration client gets a client id and secret."""
    if role not in {r.value for r in Role}:
        raise AccessError(f"Unknown role '{role}'; one of {', '.join(r.value for r in Role)}")
    if User.objects.filter(username=username).exists():
        raise AccessError(f"User '{username}' exists already")
    kind = role_kind(role)
    user = User(username=username, role=role, kind=kind)
    store = system_store("createuser")
    if role in PROFESSIONAL_ROLES:
        if not organization:
            raise AccessError(f"A {role} works in a unit: give --organization ORG-ID")
        _organization_check(store, organization)
        practitioner = store.create(
            {"resourceType": "Practitioner", "active": True, "name": [{"text": username}]}
        ).stored
        practitioner_role = store.create(
            {
                "resourceType": "PractitionerRole",
                "active": True,
                "practitioner": {"reference": f"Practitioner/{practitioner.id}"},
                "organization": {"reference": f"Organization/{organization}"},
                "code": [{"coding": [{"system": ROLE_SYSTEM, "code": role}]}],
            }
        ).stored
        user.organization_id = organization
        user.practitioner_id = practitioner.id
        user.practitioner_role_id = practitioner_role.id
    elif kind == Kind.RESIDENT:
        if not patient:
            raise AccessError("A resident signs in as themselves: give --patient PATIENT-ID")
        try:
            store.read("Patient", patient)
        except StoreError as exc:
            raise AccessError(f"Patient/{patient} cannot be linked: {exc}") from exc
        user.patient_id = patient
    elif organization:
        raise AccessError("An integration client belongs to no unit; leave out --organization")
    secret = ""
    if kind == Kind.SYSTEM:
        secret = secrets.token_urlsafe(32)
        user.client_id = username
        user.client_secret = make_password(secret)
        user.scopes = str(scopes_for(role, None))
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return CreatedUser(user=user, client_secret=secret)


def _organization_check(store: Store, organization: str) -> None:
    try:
        store.read("Organization", organization)
    except ResourceNotFound as exc:
        raise AccessError(f"Organization/{organization} is not in the store; load or create it first") from exc
    except StoreError as exc:
        raise AccessError(f"Organization/{organization} cannot be used: {exc}") from exc


def user_token(*, username: str, scopes: str | None = None, lifetime: int | None = None) -> IssuedToken:
    """A bearer token for a local user with every scope their role allows (or those requested of them)."""
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise AccessError(f"No active user '{username}'")
    granted = scopes_for(user.role, scopes) if not user.scopes else _client_scopes(user, scopes)
    return token_issue(user_id=user.pk, generation=user.token_generation, scopes=str(granted), lifetime=lifetime)


def _client_scopes(user: User, requested: str | None) -> str:
    allowed = scope_set(user.scopes)
    if not requested:
        return str(allowed)
    from kaari.access.scopes import scopes_grant, scopes_parse

    return " ".join(str(s) for s in scopes_grant(requested=scopes_parse(requested), allowed=allowed.scopes))


def tokens_revoke(*, username: str) -> None:
    """Invalidate every token the user holds (other processes notice within the token-state cache time)."""
    user = User.objects.get(username=username)
    user.token_generation += 1
    user.save(update_fields=["token_generation"])
    user_state_forget(user.pk)


def client_credentials_exchange(*, client_id: str, client_secret: str, scope: str | None) -> IssuedToken:
    """OAuth 2.0 client-credentials grant for integration clients."""
    user = User.objects.filter(client_id=client_id, is_active=True, kind=Kind.SYSTEM).first()
    if user is None or not check_password(client_secret, user.client_secret):
        raise AccessError("invalid_client")
    granted = _client_scopes(user, scope)
    if not granted:
        raise AccessError("invalid_scope")
    return token_issue(user_id=user.pk, generation=user.token_generation, scopes=granted)


def emergency_open(*, gate: AccessGate, patient_id: str, reason: str) -> EmergencyAccess:
    """Break the glass: time-limited access to a client's record without a relationship, logged as emergency."""
    principal = gate.principal
    if not principal.is_professional or principal.user_id is None or not principal.organization_id:
        raise AccessError("Only professionals of a unit can open a record in an emergency")
    if len(reason.strip()) < 10:
        raise AccessError("State the reason for the emergency access (at least 10 characters)")
    now = datetime.now(UTC)
    access = EmergencyAccess.objects.create(
        user_id=principal.user_id,
        patient_id=patient_id,
        reason=reason.strip(),
        starts=now,
        expires=now + timedelta(hours=conf.emergency_access_hours()),
    )
    gate.access_note(
        action="break-the-glass", patient=patient_id, what=f"Patient/{patient_id}", basis="emergency", reason=reason
    )
    return access
