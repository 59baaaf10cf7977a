"""What a resource says about care relationships, consents, release delays and guardians: pure functions.

Each function takes a FHIR resource dict and returns the rows it implies (without their source columns).
kaari.access.derive applies them inside the store's write transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kaari.fhir.conventions import HETU_SYSTEM, REGISTER_SYSTEM, REGISTERS
from kaari.lib.dates import instant_parse

FI_BASE = "https://hl7.fi/fhir/finnish-base-profiles/StructureDefinition/"
RELEASE_DATE_EXTENSION = FI_BASE + "ReleaseDateForPatientViewing"
RESTRICTION_PARENT_EXTENSION = FI_BASE + "RestrictionParent"
MUNICIPALITY_EXTENSION = FI_BASE + "municipality-code"
GUARDIAN_CODES = frozenset({"GUARD"})  # v3 RoleCode: guardian

# Statuses under which a resource does not (or no longer) make a relationship at all.
VOID_STATUSES = frozenset({"cancelled", "entered-in-error", "revoked", "noshow", "unknown"})
# Statuses of something that is over: the relationship lasts as "recent" from its end.
ENDED_STATUSES = frozenset({"finished", "fulfilled", "completed", "inactive", "checked-out"})

RELATIONSHIP_TYPES = frozenset({"Encounter", "EpisodeOfCare", "Appointment", "ServiceRequest", "CareTeam"})


@dataclass(frozen=True)
class RelationshipRow:
    patient_id: str
    organization_id: str = ""
    practitioner_id: str = ""
    starts: datetime | None = None
    ends: datetime | None = None


@dataclass(frozen=True)
class ConsentRow:
    patient_id: str
    kind: str
    register: str = ""
    organization_id: str = ""
    starts: datetime | None = None
    ends: datetime | None = None


def reference_id(reference: Any, resource_type: str) -> str:
    """The logical id of a local reference to `resource_type`, else ''."""
    if not isinstance(reference, dict):
        return ""
    target = str(reference.get("reference", ""))
    prefix = f"{resource_type}/"
    if target.startswith(prefix):
        return target[len(prefix) :].split("/")[0]
    return ""


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return instant_parse(value)
    except ValueError:
        return None


def _period(resource: dict[str, Any], key: str = "period") -> tuple[datetime | None, datetime | None]:
    period = resource.get(key) or {}
    return _moment(period.get("start")), _moment(period.get("end"))


def _last_updated(resource: dict[str, Any]) -> datetime | None:
    return _moment((resource.get("meta") or {}).get("lastUpdated"))


def _ends(resource: dict[str, Any], end: datetime | None) -> datetime | None:
    """Open (None) while the resource is ongoing; else when it ended (its period, or its last change)."""
    if resource.get("status") in ENDED_STATUSES:
        return end or _last_updated(resource)
    return None


def relationships_of(resource: dict[str, Any]) -> list[RelationshipRow]:
    """The care relationships a resource establishes (Encounter, EpisodeOfCare, Appointment, ...)."""
    resource_type = resource.get("resourceType")
    if resource_type not in RELATIONSHIP_TYPES or resource.get("status") in VOID_STATUSES:
        return []
    rows: list[RelationshipRow]
    if resource_type == "Encounter":
        patient = reference_id(resource.get("subject"), "Patient")
        start, end = _period(resource)
        unit = reference_id(resource.get("serviceProvider"), "Organization")
        rows = [RelationshipRow(patient, organization_id=unit, starts=start, ends=_ends(resource, end))] if unit else []
        for participant in resource.get("participant") or ():
            practitioner = reference_id(participant.get("individual"), "Practitioner")
            if practitioner:
                rows.append(
                    RelationshipRow(patient, practitioner_id=practitioner, starts=start, ends=_ends(resource, end))
                )
        return [row for row in rows if patient]
    if resource_type == "EpisodeOfCare":
        patient = reference_id(resource.get("patient"), "Patient")
        unit = reference_id(resource.get("managingOrganization"), "Organization")
        start, end = _period(resource)
        return (
            [RelationshipRow(patient, organization_id=unit, starts=start, ends=_ends(resource, end))]
            if patient and unit
            else []
        )
    if resource_type == "Appointment":
        return _appointment_relationships(resource)
    if resource_type == "ServiceRequest":
        patient = reference_id(resource.get("subject"), "Patient")
        rows = []
        for performer in resource.get("performer") or ():
            unit = reference_id(performer, "Organization")
            practitioner = reference_id(performer, "Practitioner")
            if unit or practitioner:
                ends = _ends(resource, None)
                rows.append(RelationshipRow(patient, organization_id=unit, practitioner_id=practitioner, ends=ends))
        return rows if patient else []
    # CareTeam
    patient = reference_id(resource.get("subject"), "Patient")
    start, end = _period(resource)
    rows = []
    for participant in resource.get("participant") or ():
        member = participant.get("member")
        unit = reference_id(member, "Organization") or reference_id(participant.get("onBehalfOf"), "Organization")
        practitioner = reference_id(member, "Practitioner")
        member_start, member_end = _period(participant)
        ends = _ends(resource, end) if resource.get("status") in ENDED_STATUSES else member_end
        if unit or practitioner:
            rows.append(RelationshipRow(patient, unit, practitioner, member_start or start, ends))
    return rows if patient else []


def _appointment_relationships(resource: dict[str, Any]) -> list[RelationshipRow]:
    actors = [participant.get("actor") for participant in resource.get("participant") or ()]
    patients = [pid for pid in (reference_id(actor, "Patient") for actor in actors) if pid]
    start, end = _moment(resource.get("start")), _moment(resource.get("end"))
    # A booked appointment relates until it has passed; then it is recent like any ended contact.
    ends = end or start if resource.get("status") in ENDED_STATUSES or end or start else None
    rows = []
    for actor in actors:
        unit = reference_id(actor, "Organization")
        practitioner = reference_id(actor, "Practitioner")
        if not (unit or practitioner):
            continue
        for patient in patients:
            rows.append(RelationshipRow(patient, unit, practitioner, start, ends))
    return rows


def consent_rules_of(resource: dict[str, Any]) -> list[ConsentRow]:
    """A client's active Consent as rules: between registers (by the register labels its provision names)
    or towards an organisation (its provision's actors)."""
    if resource.get("resourceType") != "Consent" or resource.get("status") != "active":
        return []
    patient = reference_id(resource.get("patient"), "Patient")
    provision = resource.get("provision") or {}
    decision = provision.get("type", "deny")
    starts, ends = _period(provision)
    if not patient:
        return []
    rows: list[ConsentRow] = []
    for label in provision.get("securityLabel") or ():
        if label.get("system") == REGISTER_SYSTEM and label.get("code") in REGISTERS:
            kind = "deny-registers" if decision == "deny" else "permit-registers"
            rows.append(ConsentRow(patient, kind, register=str(label["code"]), starts=starts, ends=ends))
    if decision == "deny":
        for actor in provision.get("actor") or ():
            organization = reference_id(actor.get("reference"), "Organization")
            if organization:
                rows.append(
                    ConsentRow(patient, "deny-organization", organization_id=organization, starts=starts, ends=ends)
                )
    return rows


def _extensions(resource: dict[str, Any], url: str) -> list[dict[str, Any]]:
    return [e for e in resource.get("extension") or () if isinstance(e, dict) and e.get("url") == url]


def _targets(resource: dict[str, Any]) -> list[tuple[str, str]]:
    """What a resource's extension applies to: itself, or a Provenance's targets."""
    if resource.get("resourceType") == "Provenance":
        found = []
        for target in resource.get("target") or ():
            parts = str(target.get("reference", "")).split("/")
            if len(parts) >= 2:
                found.append((parts[0], parts[1]))
        return found
    return [(str(resource.get("resourceType")), str(resource.get("id")))]


def release_delays_of(resource: dict[str, Any]) -> list[tuple[str, str, date]]:
    """(type, id, first day the resident may see it) for each resource whose release is delayed."""
    rows: list[tuple[str, str, date]] = []
    for extension in _extensions(resource, RELEASE_DATE_EXTENSION):
        moment = _moment(extension.get("valueDate") or extension.get("valueDateTime"))
        if moment is not None:
            rows.extend((t, i, moment.date()) for t, i in _targets(resource))
    return rows


def guardian_restrictions_of(resource: dict[str, Any], compartment: str | None) -> list[tuple[str, str, str]]:
    """(patient, type, id) withheld from guardians; a restriction on the Patient covers the whole record."""
    if not _extensions(resource, RESTRICTION_PARENT_EXTENSION) or not compartment:
        return []
    if resource.get("resourceType") == "Patient":
        return [(compartment, "", "")]
    return [(compartment, t, i) for t, i in _targets(resource)]


def person_of(resource: dict[str, Any]) -> tuple[str, date | None] | None:
    """A Patient's identity code and birth date."""
    if resource.get("resourceType") != "Patient":
        return None
    hetu = next((str(i.get("value")) for i in resource.get("identifier") or () if i.get("system") == HETU_SYSTEM), "")
    birth = _moment(resource.get("birthDate"))
    return hetu, birth.date() if birth else None


def guardianship_of(resource: dict[str, Any]) -> tuple[str, str, date | None] | None:
    """(minor, guardian's identity code, end) from a RelatedPerson whose relationship is guardian."""
    if resource.get("resourceType") != "RelatedPerson" or resource.get("active") is False:
        return None
    codes = {
        coding.get("code") for concept in resource.get("relationship") or () for coding in concept.get("coding") or ()
    }
    if not codes & GUARDIAN_CODES:
        return None
    minor = reference_id(resource.get("patient"), "Patient")
    hetu = next((str(i.get("value")) for i in resource.get("identifier") or () if i.get("system") == HETU_SYSTEM), "")
    _, end = _period(resource)
    return (minor, hetu, end.date() if end else None) if minor and hetu else None
