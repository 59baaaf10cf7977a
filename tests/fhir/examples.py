"""The official R4 examples (hl7.fhir.r4.examples 4.0.1) used by the acceptance tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parents[2] / "cache" / "hl7.fhir.r4.examples" / "package"
DEFINITION_TYPES = frozenset(
    {
        "SearchParameter",
        "ValueSet",
        "CodeSystem",
        "StructureDefinition",
        "ConceptMap",
        "OperationDefinition",
        "CompartmentDefinition",
        "CapabilityStatement",
        "NamingSystem",
        "ImplementationGuide",
        "StructureMap",
        "MessageDefinition",
        "GraphDefinition",
        "TerminologyCapabilities",
    }
)
MISSING_REASON = "run `python -m scripts.fetch_fhir_package` (CI does) to fetch the official examples"


def examples() -> list[tuple[str, dict[str, Any]]]:
    """The 706 non-definition examples, by file name."""
    found = []
    for path in sorted(PACKAGE.glob("*.json")):
        if path.name == "package.json":
            continue
        resource = json.loads(path.read_text())
        resource_type = resource.get("resourceType")
        if resource_type in DEFINITION_TYPES:
            continue
        if resource_type == "Bundle":
            types = [e.get("resource", {}).get("resourceType") for e in resource.get("entry", [])]
            if types and all(t in DEFINITION_TYPES for t in types):
                continue
        found.append((path.name, resource))
    return found
