"""Interim validator: checks only the resource type. Replaced by the full R4 validator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kaari.fhir import spec


@dataclass(frozen=True)
class ValidationIssue:
    severity: str
    code: str
    expression: str | None
    diagnostics: str


def validate_resource(resource: dict[str, Any]) -> list[ValidationIssue]:
    resource_type = resource.get("resourceType")
    if resource_type not in spec.resource_types():
        return [ValidationIssue("error", "structure", "resourceType", f"Unknown resource type {resource_type!r}")]
    return []
