"""Roles, the registers their tasks cover, and the SMART scopes each role may hold.

A professional's role decides the register they write into and the registers whose data their tasks need
(Act 703/2023: access follows the professional's tasks). A unit's configuration (`Unit`) may widen the
registers, e.g. for a joint social and health team. The scopes cap what a token of the role can ever carry.
"""

from __future__ import annotations

from enum import StrEnum

from kaari.fhir.conventions import REGISTER_HEALTH, REGISTER_SOCIAL


class Role(StrEnum):
    PHYSICIAN = "physician"
    NURSE = "nurse"
    SOCIAL_WORKER = "social_worker"
    PHARMACIST = "pharmacist"
    SECRETARY = "secretary"
    ADMIN = "admin"
    INTEGRATION = "integration"
    RESIDENT = "resident"


class Kind(StrEnum):
    PROFESSIONAL = "professional"
    RESIDENT = "resident"
    SYSTEM = "system"


PROFESSIONAL_ROLES = frozenset(
    {Role.PHYSICIAN, Role.NURSE, Role.SOCIAL_WORKER, Role.PHARMACIST, Role.SECRETARY, Role.ADMIN}
)


def role_kind(role: str) -> Kind:
    if role == Role.RESIDENT:
        return Kind.RESIDENT
    if role == Role.INTEGRATION:
        return Kind.SYSTEM
    return Kind.PROFESSIONAL


# The register a professional's writes go into, unless their unit is configured otherwise.
ROLE_REGISTER: dict[str, str] = {
    Role.PHYSICIAN: REGISTER_HEALTH,
    Role.NURSE: REGISTER_HEALTH,
    Role.PHARMACIST: REGISTER_HEALTH,
    Role.SECRETARY: REGISTER_HEALTH,
    Role.SOCIAL_WORKER: REGISTER_SOCIAL,
    Role.ADMIN: REGISTER_HEALTH,
}

# Resource types a secretary's tasks (booking, registration) need; nothing clinical.
SECRETARY_TYPES = (
    "Patient",
    "RelatedPerson",
    "Appointment",
    "AppointmentResponse",
    "Schedule",
    "Slot",
    "Encounter",
    "EpisodeOfCare",
    "Organization",
    "Practitioner",
    "PractitionerRole",
    "Location",
    "HealthcareService",
)

# The directory an administrator keeps: organisations and staff, never client data.
ADMIN_TYPES = ("Organization", "Practitioner", "PractitionerRole", "Location", "HealthcareService", "Endpoint")

# The widest scopes a token of each role may carry (SMART v1 syntax; see scopes.py).
ROLE_SCOPES: dict[str, tuple[str, ...]] = {
    Role.PHYSICIAN: ("user/*.*",),
    Role.NURSE: ("user/*.*",),
    Role.SOCIAL_WORKER: ("user/*.*",),
    Role.PHARMACIST: ("user/*.read", "user/MedicationRequest.*", "user/MedicationDispense.*"),
    Role.SECRETARY: tuple(f"user/{t}.*" for t in SECRETARY_TYPES),
    Role.ADMIN: tuple(f"user/{t}.*" for t in ADMIN_TYPES),
    Role.INTEGRATION: ("system/*.*",),
    Role.RESIDENT: ("patient/*.read", "patient/*.write"),
}
