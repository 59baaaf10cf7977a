"""The FHIR R4 (4.0.1) definitions Kaari works from, derived by scripts/derive_fhir_spec.py.

Everything is loaded once, on first use, from the JSON files in `data/`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
FHIR_VERSION = "4.0.1"


@cache
def _load(name: str) -> Any:
    return json.loads((DATA / name).read_text())


@dataclass(frozen=True)
class ElementType:
    code: str
    targets: tuple[str, ...] = ()
    profiles: tuple[str, ...] = ()  # core data type constraints, e.g. ("SimpleQuantity",) on a Quantity


@dataclass(frozen=True)
class ElementDefinition:
    """One element of a type, addressed by its path relative to the type (`contact.name`, `value[x]`)."""

    path: str
    min: int
    max: str
    types: tuple[ElementType, ...] = ()
    binding: str | None = None
    content_reference: str | None = None
    summary: bool = False
    modifier: bool = False

    @property
    def is_list(self) -> bool:
        return self.max != "1"

    @property
    def is_choice(self) -> bool:
        return self.path.endswith("[x]")

    @property
    def name(self) -> str:
        last = self.path.rsplit(".", 1)[-1]
        return last[:-3] if self.is_choice else last


@dataclass(frozen=True)
class TypeDefinition:
    name: str
    kind: str  # "resource", "complex" or "primitive"
    elements: dict[str, ElementDefinition] = field(default_factory=dict)
    abstract: bool = False
    json_kind: str = ""  # for primitives: "string", "boolean", "integer" or "number"
    regex: str | None = None
    constrains: str | None = None  # for a core constraint such as SimpleQuantity: the type it narrows
    extensible: bool = True  # for primitives: whether `_x` may carry extensions (not xhtml)


def _element(path: str, raw: dict[str, Any]) -> ElementDefinition:
    return ElementDefinition(
        path=path,
        min=int(raw.get("min", 0)),
        max=str(raw.get("max", "*")),
        types=tuple(
            ElementType(t["code"], tuple(t.get("targets", ())), tuple(t.get("profiles", ())))
            for t in raw.get("types", ())
        ),
        binding=raw.get("binding"),
        content_reference=raw.get("contentReference"),
        summary=bool(raw.get("summary")),
        modifier=bool(raw.get("modifier")),
    )


@cache
def type_definitions() -> dict[str, TypeDefinition]:
    raw = _load("types.json")
    result: dict[str, TypeDefinition] = {}
    for name, prim in raw["primitives"].items():
        result[name] = TypeDefinition(
            name=name,
            kind="primitive",
            json_kind=prim["json"],
            regex=prim["regex"],
            extensible=prim.get("extensible", True),
        )
    for name, definition in raw["complex"].items():
        elements = {p: _element(p, e) for p, e in definition["elements"].items()}
        result[name] = TypeDefinition(
            name=name, kind="complex", elements=elements, constrains=definition.get("constrains")
        )
    for name, definition in raw["resources"].items():
        elements = {p: _element(p, e) for p, e in definition["elements"].items()}
        result[name] = TypeDefinition(
            name=name, kind="resource", elements=elements, abstract=bool(definition["abstract"])
        )
    return result


def type_definition(name: str) -> TypeDefinition:
    return type_definitions()[name]


@cache
def resource_types() -> frozenset[str]:
    """The concrete resource types of R4."""
    return frozenset(t.name for t in type_definitions().values() if t.kind == "resource" and not t.abstract)


@cache
def value_set_codes(url: str) -> frozenset[tuple[str, str]] | None:
    """The (system, code) pairs of a required value set, or None when it cannot be enumerated offline."""
    codes = _load("valuesets.json").get(url.split("|")[0])
    return None if codes is None else frozenset((system, code) for system, code in codes)


def search_parameter_definitions() -> list[dict[str, Any]]:
    """The official R4 search parameters, as raw SearchParameter fields."""
    return list(_load("search_parameters.json"))


@cache
def patient_compartment_params() -> dict[str, tuple[str, ...]]:
    """For each resource type in the Patient compartment, the search parameters that place it there."""
    return {k: tuple(v) for k, v in _load("compartment_patient.json").items()}
