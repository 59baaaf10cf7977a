"""Search as the store performs it: parse, restrict by the caller's gate, run, and record the disclosure.

The store's `Store.search`, `Store.everything` and the conditional interactions call these; nothing else
should. Errors come out as store errors (400 for a bad request, 412 for an ambiguous condition).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from kaari.fhir.search.engine import SearchResult, search_run
from kaari.fhir.search.everything import everything_run
from kaari.fhir.search.query import SearchQuery, search_parse
from kaari.fhir.search.sql import Restriction, SqlFragment
from kaari.fhir.search.types import QueryContext, SearchError
from kaari.fhir.store.errors import InvalidRequest, MultipleMatches

if TYPE_CHECKING:
    from kaari.fhir.store.gate import Gate
    from kaari.fhir.store.records import StoredResource


@dataclass(frozen=True)
class SearchRequest:
    resource_types: tuple[str, ...]  # empty for a system-level search
    params: tuple[tuple[str, str], ...]
    compartment: tuple[str, str] | None = None  # ("Patient", id)
    strict: bool = False  # Prefer: handling=strict
    base_url: str | None = None


@dataclass
class SearchOutcome:
    query: SearchQuery
    result: SearchResult
    request: SearchRequest
    operation: str | None = None  # "$everything"
    extra: dict[str, str] = field(default_factory=dict)


def gate_restriction(gate: Gate, *, patient: str | None = None) -> Restriction:
    """The gate's condition for each type a search reads (None: a scan over several types), asked once per type.
    `patient` tells the gate which one client the search is about, when it is about one."""
    asked: dict[str | None, SqlFragment | None] = {}

    def restriction(resource_type: str | None) -> SqlFragment | None:
        if resource_type not in asked:
            found = gate.restriction(resource_type, patient=patient)
            asked[resource_type] = None if found is None else SqlFragment(found.sql, tuple(found.params))
        return asked[resource_type]

    return restriction


def patient_of(request: SearchRequest) -> str | None:
    """The one client a search is about, from its compartment or a single-valued `patient` (or `subject=Patient/`)
    criterion; None when it is about several or it cannot be told. Only a hint for the gate."""
    if request.compartment is not None and request.compartment[0] == "Patient":
        return request.compartment[1]
    named = [
        value.removeprefix("Patient/")
        for name, value in request.params
        if (name == "patient" and "/" not in value.removeprefix("Patient/"))
        or (name == "subject" and value.startswith("Patient/"))
    ]
    if len(set(named)) == 1 and "," not in named[0] and named[0]:
        return named[0]
    return None


def _context(base_url: str | None) -> QueryContext:
    # "Now" for `ap` is today's start: the approximation then stays the same all day long.
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return QueryContext(base_url=base_url, now_ms=int(today.timestamp() * 1000))


def search_perform(gate: Gate, request: SearchRequest) -> SearchOutcome:
    try:
        query = search_parse(
            request.resource_types,
            request.params,
            context=_context(request.base_url),
            strict=request.strict,
            compartment=request.compartment,
        )
        result = search_run(query, restriction=gate_restriction(gate, patient=patient_of(request)))
    except SearchError as exc:
        raise InvalidRequest(str(exc)) from exc
    gate.record(action="search", resources=[*result.matches, *result.included], query=_query_text(request))
    return SearchOutcome(query=query, result=result, request=request)


def everything_perform(gate: Gate, patient_id: str, request: SearchRequest) -> SearchOutcome:
    try:
        query, result = everything_run(
            patient_id, request.params, restriction=gate_restriction(gate, patient=patient_id), strict=request.strict
        )
    except SearchError as exc:
        raise InvalidRequest(str(exc)) from exc
    gate.record(action="search", resources=result.matches, query=f"Patient/{patient_id}/$everything")
    return SearchOutcome(query=query, result=result, request=request, operation="$everything")


def conditional_matches(
    gate: Gate, resource_type: str, criteria: str, *, base_url: str | None = None
) -> list[StoredResource]:
    """Up to two resources matching the search criteria of a conditional interaction (`identifier=x|y`)."""
    params = tuple(parse_qsl(criteria.lstrip("?"), keep_blank_values=True))
    request = SearchRequest((resource_type,), (*params, ("_count", "2")), strict=True, base_url=base_url)
    try:
        query = search_parse(request.resource_types, request.params, context=_context(base_url), strict=True)
        if not query.filters:
            raise SearchError("it names no search criteria")
        query.includes, query.revincludes, query.total, query.summary = [], [], "none", None
        result = search_run(query, restriction=gate_restriction(gate))
    except SearchError as exc:
        raise InvalidRequest(f"The condition '{criteria}' is not a valid search: {exc}") from exc
    gate.record(action="search", resources=result.matches, query=f"{resource_type}?{criteria.lstrip('?')}")
    return result.matches


def conditional_match(
    gate: Gate, resource_type: str, criteria: str, *, base_url: str | None = None
) -> StoredResource | None:
    """The one resource the condition matches, None for none; MultipleMatches (412) for more."""
    matches = conditional_matches(gate, resource_type, criteria, base_url=base_url)
    if len(matches) > 1:
        raise MultipleMatches(f"The condition '{resource_type}?{criteria.lstrip('?')}' matches more than one resource")
    return matches[0] if matches else None


def _query_text(request: SearchRequest) -> str:
    from urllib.parse import urlencode

    path = "/".join(request.resource_types) if len(request.resource_types) == 1 else ""
    return f"{path}?{urlencode(request.params)}"
