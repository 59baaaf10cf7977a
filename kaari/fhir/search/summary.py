"""`_summary` and `_elements`: the subsets of a resource a search may return instead of the whole.

A subset is marked with the SUBSETTED tag, as R4 asks, so that no one mistakes it for the resource.
"""

from __future__ import annotations

from typing import Any

from kaari.fhir.spec import type_definitions

SUBSETTED = {"system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "code": "SUBSETTED"}
_ALWAYS = ("resourceType", "id", "meta")


def _element_names(resource_type: str, base: str, predicate: Any) -> set[str]:
    """JSON keys of the children of `base` whose element definition satisfies `predicate`."""
    names: set[str] = set()
    prefix = f"{base}." if base else ""
    for path, element in type_definitions()[resource_type].elements.items():
        if not path.startswith(prefix) or "." in path[len(prefix) :]:
            continue
        if predicate(element):
            name = element.name
            if element.is_choice:
                names.update(name + t.code[0].upper() + t.code[1:] for t in element.types)
            else:
                names.add(name)
    return names


def _summary_filter(resource_type: str, base: str, value: dict[str, Any]) -> dict[str, Any]:
    keep = _element_names(resource_type, base, lambda e: e.summary)
    result = {}
    for key, item in value.items():
        if key not in keep and not (base == "" and key in _ALWAYS):
            continue
        path = f"{base}.{key}" if base else key
        element = type_definitions()[resource_type].elements.get(path)
        backbone = element is not None and any(t.code in ("BackboneElement", "Element") for t in element.types)
        if backbone:
            items = item if isinstance(item, list) else [item]
            filtered = [_summary_filter(resource_type, path, i) for i in items if isinstance(i, dict)]
            result[key] = filtered if isinstance(item, list) else filtered[0]
        else:
            result[key] = item
    return result


def _tagged(resource: dict[str, Any]) -> dict[str, Any]:
    meta = dict(resource.get("meta") or {})
    meta["tag"] = [*(meta.get("tag") or []), SUBSETTED]
    return {**resource, "meta": meta}


def resource_shape(
    resource: dict[str, Any], *, summary: str | None, elements: tuple[str, ...] | None
) -> dict[str, Any]:
    """The resource as `_summary` / `_elements` ask for it (unchanged when they ask for nothing)."""
    resource_type = resource["resourceType"]
    if summary == "true":
        return _tagged(_summary_filter(resource_type, "", resource))
    if summary == "data":
        return _tagged({k: v for k, v in resource.items() if k != "text"})
    mandatory = _element_names(resource_type, "", lambda e: e.min > 0)
    if summary == "text":
        keep = {*_ALWAYS, "text", *mandatory}
        return _tagged({k: v for k, v in resource.items() if k in keep})
    if elements:
        wanted = set(elements)
        choices = _element_names(resource_type, "", lambda e: e.is_choice and e.name in wanted)
        keep = {*_ALWAYS, *wanted, *choices, *mandatory}
        return _tagged({k: v for k, v in resource.items() if k in keep})
    return resource
