"""A search request, parsed: filters, sort, paging, includes and result shaping.

`search_parse` takes the request's (name, value) pairs, from a GET query string or a POST form body, in
order. Parameters Kaari does not know are left out with a warning, or rejected when the caller asked for
strict handling; malformed values and unsupported modifiers are always rejected (SearchError → 400).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kaari.fhir.search.registry import SearchParameter, resource_parameters
from kaari.fhir.search.types import QueryContext, SearchError
from kaari.fhir.search.types.base import value_split
from kaari.fhir.spec import resource_types

DEFAULT_COUNT = 50
MAX_COUNT = 1000
SUMMARY_MODES = frozenset({"true", "false", "text", "data", "count"})
TOTAL_MODES = frozenset({"none", "estimate", "accurate"})
# Accepted and not acted on: they concern the response format, which negotiation already handles.
IGNORED = frozenset({"_format", "_pretty"})
CONTROL = frozenset(
    {"_count", "_sort", "_include", "_revinclude", "_summary", "_elements", "_total", "_type", "_cursor"}
)


@dataclass(frozen=True)
class ParamFilter:
    param: SearchParameter
    modifier: str | None
    values: tuple[Any, ...]  # OR-ed


@dataclass(frozen=True)
class MissingFilter:
    param: SearchParameter
    missing: bool


@dataclass(frozen=True)
class ChainFilter:
    """`subject:Patient.name=x`: the reference points at a resource that matches `inner`."""

    param: SearchParameter
    target_types: tuple[str, ...]
    inner: Filter


@dataclass(frozen=True)
class HasFilter:
    """`_has:Observation:patient:code=x`: some Observation referring here through `patient` matches `inner`."""

    source_type: str
    param: SearchParameter
    inner: Filter


Filter = ParamFilter | MissingFilter | ChainFilter | HasFilter


@dataclass(frozen=True)
class SortKey:
    code: str  # a parameter code, or "_id"
    descending: bool
    param: SearchParameter | None  # None for _id


@dataclass(frozen=True)
class Include:
    source_type: str | None  # None: any type (`*`)
    param_code: str | None  # None: every reference parameter (`Type:*`)
    target_type: str | None
    iterate: bool


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: after (or, going back, before) the row with these sort values and key."""

    backwards: bool
    values: tuple[Any, ...]
    pk: int

    def encode(self) -> str:
        raw = json.dumps([1 if self.backwards else 0, list(self.values), self.pk], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @staticmethod
    def decode(token: str) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            backwards, values, pk = json.loads(raw)
            if not isinstance(values, list) or not isinstance(pk, int):
                raise ValueError
            return Cursor(bool(backwards), tuple(values), pk)
        except ValueError:
            raise SearchError("_cursor is not a page token Kaari issued") from None


@dataclass
class SearchQuery:
    resource_types: tuple[str, ...]
    filters: list[Filter] = field(default_factory=list)
    sort: list[SortKey] = field(default_factory=list)
    count: int = DEFAULT_COUNT
    cursor: Cursor | None = None
    includes: list[Include] = field(default_factory=list)
    revincludes: list[Include] = field(default_factory=list)
    summary: str | None = None
    elements: tuple[str, ...] | None = None
    total: str | None = None
    compartment: tuple[str, str] | None = None  # ("Patient", id): search within that compartment
    warnings: list[str] = field(default_factory=list)
    # The request's own parameters (without _cursor), for the paging links.
    params: list[tuple[str, str]] = field(default_factory=list)


def parameter_lookup(resource_types_: Sequence[str], code: str) -> SearchParameter | None:
    """The parameter `code` when every type has it, with the same type; None when some type lacks it."""
    found: SearchParameter | None = None
    for resource_type in resource_types_:
        param = resource_parameters(resource_type).supported.get(code)
        if param is None:
            return None
        if found is not None and found.type is not param.type:
            raise SearchError(f"{code} has different types on {', '.join(resource_types_)}")
        found = found or param
    return found


def _unknown(query: SearchQuery, name: str, message: str, strict: bool) -> None:
    if strict:
        raise SearchError(message)
    query.warnings.append(f"{message}; the parameter {name} was ignored")


def filter_parse(types: Sequence[str], key: str, raw: str, context: QueryContext) -> Filter:
    """One parameter of the request as a filter on resources of `types`. KeyError: the name is unknown."""
    if key.startswith("_has:"):
        parts = key.split(":", 3)
        if len(parts) != 4 or parts[1] not in resource_types():
            raise SearchError(f"{key}: _has takes _has:Type:reference:parameter")
        source_type, reference_code, rest = parts[1], parts[2], parts[3]
        reference = resource_parameters(source_type).supported.get(reference_code)
        if reference is None or reference.type.name != "reference":
            raise SearchError(f"{key}: {source_type} has no reference parameter {reference_code}")
        if reference.targets and not set(types) & set(reference.targets):
            raise SearchError(f"{key}: {source_type}.{reference_code} never refers to {', '.join(types)}")
        return HasFilter(source_type, reference, filter_parse([source_type], rest, raw, context))
    head, _, chain = key.partition(".")
    code, _, modifier_text = head.partition(":")
    modifier = modifier_text or None
    param = parameter_lookup(types, code)
    if param is None:
        raise KeyError(code)
    if chain:
        return _chain_parse(types, param, modifier, chain, raw, context)
    if modifier == "missing":
        if raw not in ("true", "false"):
            raise SearchError(f"{key} takes true or false")
        return MissingFilter(param, raw == "true")
    values = tuple(param.type.value_parse(v, modifier, param, context) for v in value_split(raw, ",") if v != "")
    if not values:
        raise SearchError(f"{key} has no value")
    return ParamFilter(param, modifier, values)


def _chain_parse(
    types: Sequence[str], param: SearchParameter, modifier: str | None, chain: str, raw: str, context: QueryContext
) -> ChainFilter:
    if param.type.name != "reference":
        raise SearchError(f"{param.code} is not a reference and cannot be chained")
    if modifier is not None and modifier not in resource_types():
        raise SearchError(f"{param.code}:{modifier}: a chain takes a resource type as modifier")
    candidates = [modifier] if modifier else list(param.targets)
    next_code = chain.partition(".")[0].partition(":")[0]
    targets = tuple(
        t for t in candidates if next_code in resource_parameters(t).supported or next_code.startswith("_has")
    )
    if not targets:
        raise SearchError(f"{param.code}.{chain}: no target of {param.code} has a parameter {next_code}")
    try:
        inner = filter_parse(targets, chain, raw, context)
    except KeyError:
        raise SearchError(f"{param.code}.{chain}: {next_code} is not a parameter of {', '.join(targets)}") from None
    return ChainFilter(param, targets, inner)


def _count_parse(raw: str) -> int:
    if not raw.isdigit():
        raise SearchError(f"_count={raw} is not a non-negative integer")
    return min(int(raw), MAX_COUNT)


def _sort_parse(types: Sequence[str], raw: str) -> list[SortKey]:
    keys = []
    for item in raw.split(","):
        item = item.strip()
        descending = item.startswith("-")
        code = item.lstrip("-")
        if not code:
            continue
        if code == "_id":
            keys.append(SortKey("_id", descending, None))
            continue
        param = parameter_lookup(types, code)
        if param is None:
            raise SearchError(f"_sort: {code} is not a search parameter of {', '.join(types)}")
        if not param.type.sortable:
            raise SearchError(f"_sort: {code} is a {param.type.name} parameter, which cannot sort")
        keys.append(SortKey(code, descending, param))
    return keys


def _include_parse(types: Sequence[str], name: str, raw: str, reverse: bool) -> Include:
    _, _, modifier = name.partition(":")
    if modifier not in ("", "iterate", "recurse"):
        raise SearchError(f"{name}: unknown modifier")
    iterate = modifier in ("iterate", "recurse")
    if raw == "*":
        return Include(None, None, None, iterate)
    parts = raw.split(":")
    if len(parts) not in (2, 3) or parts[0] not in resource_types():
        raise SearchError(f"{name}={raw}: takes Type:parameter[:targetType] or *")
    source_type, code = parts[0], parts[1]
    target = parts[2] if len(parts) == 3 else None
    if target is not None and target not in resource_types():
        raise SearchError(f"{name}={raw}: {target} is not a resource type")
    if code != "*":
        param = resource_parameters(source_type).supported.get(code)
        if param is None or param.type.name != "reference":
            raise SearchError(f"{name}={raw}: {source_type} has no reference parameter {code}")
    if not reverse and not iterate and source_type not in types:
        raise SearchError(f"{name}={raw}: the search is not for {source_type}")
    return Include(source_type, None if code == "*" else code, target, iterate)


def search_parse(
    resource_types_: Sequence[str],
    params: Sequence[tuple[str, str]],
    *,
    context: QueryContext | None = None,
    strict: bool = False,
    compartment: tuple[str, str] | None = None,
) -> SearchQuery:
    """Parse a search over `resource_types_` (all types for a system search given an empty list)."""
    context = context or QueryContext()
    types = tuple(resource_types_)
    explicit_types = [v for k, v in params if k == "_type"]
    if explicit_types:
        requested = tuple(t for value in explicit_types for t in value.split(",") if t)
        unknown = [t for t in requested if t not in resource_types()]
        if unknown:
            raise SearchError(f"_type: unknown resource type {', '.join(unknown)}")
        types = tuple(t for t in requested if not types or t in types)
    if not types:
        types = tuple(sorted(resource_types()))
    query = SearchQuery(resource_types=types, compartment=compartment)
    for name, raw in params:
        base = name.partition(":")[0]
        if name != "_cursor":
            query.params.append((name, raw))
        if base in IGNORED:
            continue
        if base in CONTROL:
            _control_apply(query, name, base, raw)
            continue
        if raw == "":
            continue  # an empty value asks for nothing
        try:
            query.filters.append(filter_parse(types, name, raw, context))
        except KeyError as exc:
            code = exc.args[0]
            unsupported = [
                resource_parameters(t).unsupported[code].reason
                for t in types
                if code in resource_parameters(t).unsupported
            ]
            reason = f" ({unsupported[0]})" if unsupported else ""
            _unknown(query, name, f"Unknown or unsupported search parameter '{code}'{reason}", strict)
    return query


def _control_apply(query: SearchQuery, name: str, base: str, raw: str) -> None:
    types = query.resource_types
    if base == "_count":
        query.count = _count_parse(raw)
    elif base == "_sort":
        query.sort = _sort_parse(types, raw)
    elif base == "_include":
        query.includes.extend(_include_parse(types, name, v, reverse=False) for v in raw.split(",") if v)
    elif base == "_revinclude":
        query.revincludes.extend(_include_parse(types, name, v, reverse=True) for v in raw.split(",") if v)
    elif base == "_summary":
        if raw not in SUMMARY_MODES:
            raise SearchError(f"_summary={raw}: takes true, false, text, data or count")
        query.summary = None if raw == "false" else raw
    elif base == "_elements":
        query.elements = tuple(e.strip() for e in raw.split(",") if e.strip())
    elif base == "_total":
        if raw not in TOTAL_MODES:
            raise SearchError(f"_total={raw}: takes none, estimate or accurate")
        query.total = raw
    elif base == "_cursor":
        query.cursor = Cursor.decode(raw)
