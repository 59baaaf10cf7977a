"""What search supports, per resource type, for the CapabilityStatement. Generated from the registry: a
parameter is listed only when it is really indexed and searchable; the others are reported as absent."""

from __future__ import annotations

from typing import Any

from kaari.fhir.search.registry import resource_parameters


def supported_search_params(resource_type: str) -> list[dict[str, Any]]:
    """CapabilityStatement.rest.resource.searchParam entries for the type, sorted by name."""
    entries = []
    for code, parameter in sorted(resource_parameters(resource_type).supported.items()):
        entry: dict[str, Any] = {"name": code, "definition": parameter.url, "type": parameter.type.name}
        if parameter.description:
            entry["documentation"] = parameter.description
        entries.append(entry)
    return entries


def unsupported_search_params(resource_type: str) -> dict[str, str]:
    """The official parameters of the type that Kaari does not support, with the reason."""
    return {code: u.reason for code, u in sorted(resource_parameters(resource_type).unsupported.items())}


def search_includes(resource_type: str) -> list[str]:
    """`_include` values the type supports: each reference parameter, and `*`."""
    references = [
        f"{resource_type}:{code}"
        for code, parameter in sorted(resource_parameters(resource_type).supported.items())
        if parameter.type.name == "reference"
    ]
    return [*references, "*"] if references else []
