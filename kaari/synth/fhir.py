"""Code systems, identifiers and `meta` of the synthetic region, built fresh for every resource.

Every dict returned here is new, so a caller (a loader that stamps `meta.versionId`, say) may mutate one resource
without touching another.
"""

from __future__ import annotations

from typing import Any

Resource = dict[str, Any]

SYNTHETIC_TAG_SYSTEM = "https://kaari.fi/fhir/CodeSystem/data-origin"
SYNTHETIC_TAG_CODE = "synthetic"
REGISTER_SYSTEM = "https://kaari.fi/fhir/CodeSystem/register"
KEEPER_URL = "https://kaari.fi/fhir/StructureDefinition/keeper"
TURVAKIELTO_SYSTEM = "https://hl7.fi/fhir/finnish-base-profiles/CodeSystem/fi-base-security-label-cs"
MUNICIPALITY_URL = "https://hl7.fi/fhir/finnish-base-profiles/StructureDefinition/municipality-code"
MUNICIPALITY_SYSTEM = "urn:oid:1.2.246.537.6.21"
HETU_SYSTEM = "urn:oid:1.2.246.21"
ATC = "http://www.whocc.no/atc"
LOINC = "http://loinc.org"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
SERVICE_TYPE_SYSTEM = "https://kaari.fi/fhir/CodeSystem/service-type"
UNIT_COST_SYSTEM = "https://kaari.fi/fhir/CodeSystem/unit-cost"
ORG_TYPE_SYSTEM = "https://kaari.fi/fhir/CodeSystem/organization-type"
ROLE_SYSTEM = "https://kaari.fi/fhir/CodeSystem/professional-role"
SOCIAL_DOC_SYSTEM = "https://kaari.fi/fhir/CodeSystem/social-welfare-document"
PRACTITIONER_ID_SYSTEM = "https://kaari.fi/fhir/NamingSystem/synthetic-practitioner"
ORG_ID_SYSTEM = "https://kaari.fi/fhir/NamingSystem/organization"

HEALTH = "health-care"
SOCIAL = "social-welfare"


def synthetic_tag() -> dict[str, str]:
    return {"system": SYNTHETIC_TAG_SYSTEM, "code": SYNTHETIC_TAG_CODE, "display": "Synteettinen aineisto"}


def meta_shared() -> dict[str, Any]:
    """Meta of a resource that is no client's record (organisations, professionals)."""
    return {"tag": [synthetic_tag()]}


def meta_identity(*, keeper: str, turvakielto: bool = False) -> dict[str, Any]:
    """Meta of Patient and RelatedPerson: identity data used by both registers, so no register label."""
    meta: dict[str, Any] = {
        "extension": [{"url": KEEPER_URL, "valueReference": {"reference": f"Organization/{keeper}"}}],
        "tag": [synthetic_tag()],
    }
    if turvakielto:
        meta["security"] = [{"system": TURVAKIELTO_SYSTEM, "code": "TURVAKIELTO", "display": "Turvakielto"}]
    return meta


def meta_client(*, register: str, keeper: str) -> dict[str, Any]:
    """Meta of a record in the health care or social welfare register, kept by the producing unit."""
    return {
        "extension": [{"url": KEEPER_URL, "valueReference": {"reference": f"Organization/{keeper}"}}],
        "security": [{"system": REGISTER_SYSTEM, "code": register}],
        "tag": [synthetic_tag()],
    }


def ref(kind: str, ident: str) -> dict[str, str]:
    return {"reference": f"{kind}/{ident}"}


def concept(system: str, code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code, "display": display}], "text": display}


def coding(system: str, code: str, display: str | None = None) -> dict[str, str]:
    if display is None:
        return {"system": system, "code": code}
    return {"system": system, "code": code, "display": display}
