"""Run the non-definition examples of hl7.fhir.r4.examples 4.0.1 through Kaari's validator.

    python -m scripts.examples_check [PACKAGE_DIR]

Prints how many of the 706 examples pass and, for every rejected example, the file and the reasons.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from kaari.fhir.validation import ValidationIssue, validate_resource
from scripts.fetch_fhir_package import package_fetch

# The definition (conformance) resource types left out of the acceptance set (issue 2, acceptance item 1).
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


def is_definition(resource: dict[str, Any]) -> bool:
    """A definition resource, or a Bundle holding only definition resources."""
    resource_type = resource.get("resourceType")
    if resource_type in DEFINITION_TYPES:
        return True
    if resource_type == "Bundle":
        types = {entry.get("resource", {}).get("resourceType") for entry in resource.get("entry", [])}
        return bool(types) and types <= DEFINITION_TYPES
    return False


def example_files(package: Path) -> list[Path]:
    """The non-definition examples: every *.json of the package except package.json and the definitions."""
    files = []
    for path in sorted(package.glob("*.json")):
        if path.name == "package.json":
            continue
        if not is_definition(json.loads(path.read_bytes())):
            files.append(path)
    return files


def examples_validate(package: Path) -> dict[str, list[ValidationIssue]]:
    """For each example file name, its validation errors (empty when it passes)."""
    results = {}
    for path in example_files(package):
        issues = validate_resource(json.loads(path.read_bytes()))
        results[path.name] = [issue for issue in issues if issue.severity == "error"]
    return results


def main(package: Path) -> int:
    results = examples_validate(package)
    rejected = {name: errors for name, errors in results.items() if errors}
    print(f"{len(results) - len(rejected)} of {len(results)} examples pass; {len(rejected)} rejected")
    for name, errors in rejected.items():
        print(f"\n{name}")
        for issue in errors:
            print(f"  {issue.code} at {issue.expression}: {issue.diagnostics}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else package_fetch()))
