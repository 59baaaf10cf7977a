"""The search parameters of each resource type, compiled from the official R4 definitions.

Every definition either compiles into a SearchParameter (its expression typed against the R4 structure
definitions, its values indexable by its type's class) or is recorded as unsupported with the reason.
Nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from kaari.fhir.search.fhirpath import Evaluator, FhirPathError, expression_compile, subexpression_compile
from kaari.fhir.search.types import SEARCH_TYPES, SearchType
from kaari.fhir.spec import resource_types, search_parameter_definitions

_ANY_RESOURCE = frozenset({"Resource", "DomainResource"})


@dataclass(frozen=True, eq=False)
class SearchParameter:
    code: str
    resource_type: str
    type: SearchType
    url: str
    expression: str
    evaluator: Evaluator | None
    value_types: frozenset[str] = frozenset()
    targets: tuple[str, ...] = ()
    components: tuple[SearchParameter, ...] = ()
    column: str | None = None  # searched on the resource row instead of an index table
    description: str = ""
    branch: str = ""  # the part of `expression` that applies to `resource_type`


def expression_branch(expression: str, resource_type: str) -> str:
    """The union branches of `expression` rooted at `resource_type` (or at no type), joined again."""
    branches, depth, start = [], 0, 0
    for position, ch in enumerate(expression):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "|" and depth == 0:
            branches.append(expression[start:position].strip())
            start = position + 1
    branches.append(expression[start:].strip())
    kept = [b for b in branches if b.lstrip("(").split(".")[0] in (resource_type, "Resource", "DomainResource")]
    return " | ".join(kept)


@dataclass(frozen=True)
class UnsupportedParameter:
    code: str
    url: str
    type: str
    reason: str


@dataclass(frozen=True)
class ResourceParameters:
    supported: dict[str, SearchParameter] = field(default_factory=dict)
    unsupported: dict[str, UnsupportedParameter] = field(default_factory=dict)


@cache
def _definitions_by_url() -> dict[str, dict[str, Any]]:
    return {d["url"]: d for d in search_parameter_definitions()}


def _applies(definition: dict[str, Any], resource_type: str) -> bool:
    bases = set(definition["base"])
    if resource_type in bases or "Resource" in bases:
        return True
    return "DomainResource" in bases and resource_type not in ("Bundle", "Binary", "Parameters")


class _Unsupported(Exception):
    pass


def _compile(definition: dict[str, Any], resource_type: str) -> SearchParameter | None:
    code = definition["code"]
    kind = SEARCH_TYPES[definition["type"]]
    common = {
        "code": code,
        "resource_type": resource_type,
        "type": kind,
        "url": definition["url"],
        "expression": definition.get("expression") or "",
        "targets": tuple(definition.get("target") or ()),
        "description": definition.get("description") or "",
        "branch": expression_branch(definition.get("expression") or "", resource_type),
    }
    if definition["url"] == "http://hl7.org/fhir/SearchParameter/Resource-id":
        return SearchParameter(evaluator=None, column="logical_id", value_types=frozenset({"id"}), **common)
    if not definition.get("expression"):
        raise _Unsupported("the definition has no FHIRPath expression to index")
    if kind.name == "special":
        raise _Unsupported("special parameters (geographic distance) are not implemented")
    try:
        compiled = expression_compile(definition["expression"], resource_type)
    except FhirPathError as exc:
        raise _Unsupported(f"expression not supported: {exc}") from exc
    if compiled is None:
        return None
    evaluator, types = compiled
    codes = frozenset(t.code for t in types)
    if kind.name == "composite":
        components = _components(definition, resource_type, types)
        return SearchParameter(evaluator=evaluator, value_types=codes, components=components, **common)
    indexable = codes & kind.indexable
    if not indexable:
        raise _Unsupported(f"its values ({', '.join(sorted(codes))}) cannot be indexed as {kind.name}")
    return SearchParameter(evaluator=evaluator, value_types=indexable, **common)


def _components(definition: dict[str, Any], resource_type: str, context: frozenset[Any]) -> tuple[SearchParameter, ...]:
    components = []
    for position, component in enumerate(definition.get("component") or ()):
        target = _definitions_by_url().get(component["definition"])
        if target is None:
            raise _Unsupported(f"component {component['definition']} is not defined")
        kind = SEARCH_TYPES[target["type"]]
        try:
            evaluator, types = subexpression_compile(component["expression"], context)
        except FhirPathError as exc:
            raise _Unsupported(f"component expression not supported: {exc}") from exc
        found = frozenset(t.code for t in types)
        codes = found & kind.indexable
        if not codes or kind.name in ("composite", "special"):
            raise _Unsupported(
                f"component {target['code']}: its values ({', '.join(sorted(found))}) cannot be indexed as {kind.name}"
            )
        components.append(
            SearchParameter(
                code=f"{definition['code']}${position}",
                resource_type=resource_type,
                type=kind,
                url=target["url"],
                expression=component["expression"],
                evaluator=evaluator,
                value_types=codes,
            )
        )
    if len(components) < 2:
        raise _Unsupported("a composite needs at least two components")
    return tuple(components)


@cache
def resource_parameters(resource_type: str) -> ResourceParameters:
    if resource_type not in resource_types():
        raise KeyError(resource_type)
    result = ResourceParameters()
    for definition in search_parameter_definitions():
        if not _applies(definition, resource_type):
            continue
        try:
            parameter = _compile(definition, resource_type)
        except _Unsupported as exc:
            result.unsupported[definition["code"]] = UnsupportedParameter(
                definition["code"], definition["url"], definition["type"], str(exc)
            )
            continue
        if parameter is not None:
            result.supported[parameter.code] = parameter
    return result


def search_parameter(resource_type: str, code: str) -> SearchParameter | None:
    return resource_parameters(resource_type).supported.get(code)
