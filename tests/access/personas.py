"""Named personas and the region they work in, shared by the access tests (like healthchecks' hc/test.py).

Units: health centre `hc-north`, hospital ward `ward-7`, social work units `sw-east` and `sw-west`, and the
joint social and health team `joint-team` (its nurses' tasks cover both registers; reading across them needs
the client's consent). The county `county` keeps what integrations and residents write.

Clients, each with a health care Observation (kept by hc-north) and a social welfare DocumentReference
(kept by sw-east):
- Aino: visits hc-north, has a case at sw-east and with the joint team, and consents to disclosure between
  the registers.
- Kaisa: the same relationships, but has forbidden disclosure between the registers.
- Tuuli: visits hc-north; her Patient carries turvakielto and an address.
- Veeti: a minor who visits hc-north; his guardian is Maija. One Observation is withheld from guardians
  (RestrictionParent) and one is not yet released to residents (ReleaseDateForPatientViewing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.test import Client

from kaari.access.models import Unit, User
from kaari.access.relationships import RELEASE_DATE_EXTENSION, RESTRICTION_PARENT_EXTENSION
from kaari.access.services import system_store, user_create, user_token
from kaari.access.signin.views import VERIFIED
from kaari.fhir.conventions import (
    FI_SECURITY_LABEL_SYSTEM,
    HETU_SYSTEM,
    KEEPER_EXTENSION,
    REGISTER_HEALTH,
    REGISTER_SOCIAL,
    REGISTER_SYSTEM,
    TURVAKIELTO,
)

UNITS = ("county", "hc-north", "ward-7", "sw-east", "sw-west", "joint-team")
CLIENTS = ("aino", "kaisa", "tuuli", "veeti")
REGISTERS = (REGISTER_HEALTH, REGISTER_SOCIAL)

# username: (role, unit, own Patient)
PERSONAS: dict[str, tuple[str, str, str]] = {
    "dr_ahonen": ("physician", "hc-north", ""),  # a physician with a relationship
    "dr_berg": ("physician", "ward-7", ""),  # a physician of another unit, without one
    "nurse_ceder": ("nurse", "hc-north", ""),
    "sw_dahl": ("social_worker", "sw-east", ""),  # a social worker with a case
    "sw_eklund": ("social_worker", "sw-west", ""),  # a social worker without one
    "pharmacist_fors": ("pharmacist", "hc-north", ""),
    "nurse_jokinen": ("nurse", "joint-team", ""),  # a joint team: both registers, across them by consent
    "feed": ("integration", "", ""),  # an integration client
    "veeti_r": ("resident", "", "veeti"),  # a resident (a minor)
    "maija_r": ("resident", "", "maija"),  # that resident's guardian
    "tuuli_r": ("resident", "", "tuuli"),  # a resident whose record has turvakielto
    "kaisa_r": ("resident", "", "kaisa"),  # a resident who forbade disclosure between the registers
}

HETUS = {"aino": "131052-9085", "kaisa": "010170-902L", "tuuli": "020280-904P", "maija": "030385-906H"}


def _keeper(unit: str) -> list[dict[str, Any]]:
    return [{"url": KEEPER_EXTENSION, "valueReference": {"reference": f"Organization/{unit}"}}]


def labelled(resource: dict[str, Any], *, register: str, keeper: str) -> dict[str, Any]:
    """The resource with the register and keeper an integration states for it."""
    meta = dict(resource.get("meta") or {})
    meta["security"] = [*meta.get("security", []), {"system": REGISTER_SYSTEM, "code": register}]
    meta["extension"] = _keeper(keeper)
    return {**resource, "meta": meta}


def patient(client: str, *, birth: str = "1970-01-01", turvakielto: bool = False) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": client,
        "name": [{"family": client.capitalize(), "given": ["Testi"]}],
        "birthDate": birth,
        "address": [{"line": ["Salainen tie 1"], "city": "Kaarila", "postalCode": "99999"}],
        "telecom": [{"system": "phone", "value": "+358 40 000 0000"}],
    }
    if client in HETUS:
        resource["identifier"] = [{"system": HETU_SYSTEM, "value": HETUS[client]}]
    if turvakielto:
        resource["meta"] = {"security": [{"system": FI_SECURITY_LABEL_SYSTEM, "code": TURVAKIELTO}]}
    return resource


def health_observation(client: str, suffix: str = "", **extra: Any) -> dict[str, Any]:
    resource = {
        "resourceType": "Observation",
        "id": f"{client}-obs{suffix}",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "4548-4"}]},
        "subject": {"reference": f"Patient/{client}"},
        "valueQuantity": {"value": 6.1, "unit": "%"},
        **extra,
    }
    return labelled(resource, register=REGISTER_HEALTH, keeper="hc-north")


def social_document(client: str) -> dict[str, Any]:
    resource = {
        "resourceType": "DocumentReference",
        "id": f"{client}-doc",
        "status": "current",
        "subject": {"reference": f"Patient/{client}"},
        "content": [{"attachment": {"contentType": "text/plain", "title": "Asiakaskertomus"}}],
    }
    return labelled(resource, register=REGISTER_SOCIAL, keeper="sw-east")


def encounter(client: str, unit: str) -> dict[str, Any]:
    return labelled(
        {
            "resourceType": "Encounter",
            "id": f"{client}-visit-{unit}",
            "status": "in-progress",
            "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
            "subject": {"reference": f"Patient/{client}"},
            "serviceProvider": {"reference": f"Organization/{unit}"},
        },
        register=REGISTER_HEALTH,
        keeper=unit,
    )


def episode(client: str, unit: str, register: str) -> dict[str, Any]:
    return labelled(
        {
            "resourceType": "EpisodeOfCare",
            "id": f"{client}-case-{unit}",
            "status": "active",
            "patient": {"reference": f"Patient/{client}"},
            "managingOrganization": {"reference": f"Organization/{unit}"},
        },
        register=register,
        keeper=unit,
    )


def consent(client: str, decision: str) -> dict[str, Any]:
    return labelled(
        {
            "resourceType": "Consent",
            "id": f"{client}-consent",
            "status": "active",
            "scope": {
                "coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy"}]
            },
            "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
            "patient": {"reference": f"Patient/{client}"},
            "provision": {
                "type": decision,
                "securityLabel": [{"system": REGISTER_SYSTEM, "code": r} for r in REGISTERS],
            },
        },
        register=REGISTER_HEALTH,
        keeper="county",
    )


def guardian(minor: str, guardian_client: str) -> dict[str, Any]:
    return labelled(
        {
            "resourceType": "RelatedPerson",
            "id": f"{minor}-guardian",
            "patient": {"reference": f"Patient/{minor}"},
            "relationship": [
                {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "code": "GUARD"}]}
            ],
            "identifier": [{"system": HETU_SYSTEM, "value": HETUS[guardian_client]}],
        },
        register=REGISTER_HEALTH,
        keeper="county",
    )


@dataclass
class World:
    tokens: dict[str, str] = field(default_factory=dict)

    def headers(self, persona: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[persona]}"}


def world_build() -> World:
    """The region above, stored through the population-register and migration feeds (a system job)."""
    store = system_store("test world")
    minor_birth = (date.today() - timedelta(days=365 * 10)).isoformat()
    resources: list[dict[str, Any]] = [{"resourceType": "Organization", "id": unit, "name": unit} for unit in UNITS]
    resources += [
        patient("aino"),
        patient("kaisa"),
        patient("tuuli", turvakielto=True),
        patient("veeti", birth=minor_birth),
        patient("maija", birth="1985-03-03"),
        guardian("veeti", "maija"),
        consent("aino", "permit"),
        consent("kaisa", "deny"),
    ]
    for client in CLIENTS:
        resources += [health_observation(client), social_document(client), encounter(client, "hc-north")]
    for client in ("aino", "kaisa"):
        resources += [episode(client, "sw-east", REGISTER_SOCIAL), episode(client, "joint-team", REGISTER_HEALTH)]
    release_later = (date.today() + timedelta(days=14)).isoformat()
    resources += [
        health_observation("veeti", "-restricted", extension=[_restriction()]),
        health_observation(
            "veeti", "-delayed", extension=[{"url": RELEASE_DATE_EXTENSION, "valueDate": release_later}]
        ),
    ]
    outcomes = store.load(resources)
    problems = [str(o.error) for o in outcomes if o.error is not None]
    assert not problems, problems
    Unit.objects.create(organization_id="joint-team", extra_registers=REGISTER_SOCIAL, cross_register_basis="consent")
    world = World()
    for username, (role, unit, own) in PERSONAS.items():
        user_create(username=username, role=role, organization=unit, patient=own)
        world.tokens[username] = user_token(username=username).token
    return world


def _restriction() -> dict[str, Any]:
    coding = {
        "system": "urn:oid:1.2.246.537.5.40202.201901",
        "code": "1",
        "display": "Huoltajille luovuttaminen kielletty",
    }
    return {"url": RESTRICTION_PARENT_EXTENSION, "valueCoding": coding}


def signed_in(client: Client, username: str) -> Client:
    """The browser client as the persona's session, past the second factor, as sign-in leaves it."""
    client.force_login(User.objects.get(username=username))
    session = client.session
    session[VERIFIED] = True
    session.save()
    return client
