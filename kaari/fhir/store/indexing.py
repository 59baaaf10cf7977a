"""What the write path asks of search: index rows, their tables, and the Patient compartment.

Interim: until the search engine lands, only the compartment is derived (from the compartment definition's
reference parameters with plain-path expressions) and no index rows are written.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from kaari.fhir import spec


def index_tables() -> dict[str, tuple[str, ...]]:
    return {}


def index_rows(resource: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    return {}


@cache
def _compartment_paths(resource_type: str) -> tuple[tuple[str, ...], ...]:
    params = set(spec.patient_compartment_params().get(resource_type, ()))
    paths: list[tuple[str, ...]] = []
    for definition in spec.search_parameter_definitions():
        if definition["code"] not in params or resource_type not in definition.get("base", ()):
            continue
        for part in str(definition.get("expression", "")).split("|"):
            part = part.strip().replace(".where(resolve() is Patient)", "")
            if part.startswith(resource_type + ".") and "(" not in part and " " not in part:
                paths.append(tuple(part.split(".")[1:]))
    return tuple(paths)


def _walk(node: Any, path: tuple[str, ...]) -> list[Any]:
    nodes = node if isinstance(node, list) else [node]
    if not path:
        return nodes
    found: list[Any] = []
    for item in nodes:
        if isinstance(item, dict) and path[0] in item:
            found.extend(_walk(item[path[0]], path[1:]))
    return found


def compartment_of(resource: dict[str, Any]) -> str | None:
    """The Patient whose compartment holds the resource (the first one, if several)."""
    resource_type = resource.get("resourceType", "")
    if resource_type == "Patient":
        return str(resource.get("id"))
    for path in _compartment_paths(resource_type):
        for reference in _walk(resource, path):
            target = reference.get("reference", "") if isinstance(reference, dict) else ""
            if target.startswith("Patient/"):
                return str(target[len("Patient/") :]).split("/")[0]
    return None
