"""The CapabilityStatement, generated from what the store and the route table really implement."""

from __future__ import annotations

from typing import Any

import kaari
from kaari.fhir import spec
from kaari.fhir.search import capability as search
from kaari.fhir.store.api import RECORD_ONLY_TYPES

TYPE_INTERACTIONS = (
    "read",
    "vread",
    "update",
    "patch",
    "delete",
    "history-instance",
    "history-type",
    "create",
    "search-type",
)
EVERYTHING = "http://hl7.org/fhir/OperationDefinition/Patient-everything"


def capability_statement(*, base_url: str) -> dict[str, Any]:
    resources = [_resource(resource_type) for resource_type in sorted(spec.resource_types())]
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-11-28",
        "publisher": "Kaari",
        "kind": "instance",
        "software": {"name": "Kaari", "version": kaari.__version__},
        "implementation": {"description": "Kaari FHIR R4 server", "url": base_url},
        "fhirVersion": spec.FHIR_VERSION,
        "format": ["application/fhir+json", "application/json"],
        "patchFormat": ["application/json-patch+json", "application/merge-patch+json"],
        "rest": [
            {
                "mode": "server",
                "resource": resources,
                "interaction": [
                    {"code": "transaction"},
                    {"code": "batch"},
                    {"code": "history-system"},
                    {"code": "search-system"},
                ],
            }
        ],
    }


def _resource(resource_type: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "type": resource_type,
        "interaction": [{"code": code} for code in TYPE_INTERACTIONS],
        "versioning": "versioned-update",
        "readHistory": True,
        "updateCreate": True,
        "conditionalCreate": True,
        "conditionalUpdate": True,
        "conditionalDelete": "single",
        "searchInclude": search.search_includes(resource_type),
        "searchRevInclude": ["*"],
        "searchParam": search.supported_search_params(resource_type),
    }
    if resource_type in RECORD_ONLY_TYPES:
        entry["documentation"] = RECORD_ONLY_TYPES[resource_type]
    if resource_type == "Patient":
        entry["operation"] = [{"name": "everything", "definition": EVERYTHING}]
    return entry
