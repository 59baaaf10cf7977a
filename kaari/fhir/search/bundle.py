"""The searchset Bundle: matches and includes with absolute fullUrls, paging links, and warnings.

Links repeat the request as a GET (a POST _search included), with `_cursor` marking the page. Resources go
out as stored, spliced into the Bundle without re-parsing, unless the caller's gate redacts them or
`_summary` / `_elements` ask for a subset.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import orjson

from kaari.fhir.search.query import Cursor
from kaari.fhir.search.service import SearchOutcome
from kaari.fhir.search.summary import resource_shape
from kaari.fhir.store.records import StoredResource

Disclose = Callable[[StoredResource], dict[str, Any] | None]  # None: the stored bytes may go out as they are


def _link(base: str, params: list[tuple[str, str]], cursor: Cursor | None) -> str:
    query = [*params, ("_cursor", cursor.encode())] if cursor is not None else params
    return f"{base}?{urlencode(query)}" if query else base


def search_bundle(outcome: SearchOutcome, *, base_url: str, path: str, disclose: Disclose) -> dict[str, Any]:
    """`path` is the search's path under the FHIR base: `Patient`, `Patient/1/Observation`, `` (system)."""
    query, result = outcome.query, outcome.result
    base = f"{base_url}/{path}" if path else base_url
    params = list(query.params)
    links = [{"relation": "self", "url": _link(base, params, query.cursor)}]
    if result.next_cursor is not None:
        links.append({"relation": "next", "url": _link(base, params, result.next_cursor)})
    if result.previous_cursor is not None:
        links.append({"relation": "previous", "url": _link(base, params, result.previous_cursor)})
    bundle: dict[str, Any] = {"resourceType": "Bundle", "type": "searchset"}
    if result.total is not None:
        bundle["total"] = result.total
    bundle["link"] = links
    entries = [_entry(s, "match", base_url, query.summary, query.elements, disclose) for s in result.matches]
    entries.extend(_entry(s, "include", base_url, query.summary, query.elements, disclose) for s in result.included)
    if result.warnings:
        entries.append(
            {
                "resource": {
                    "resourceType": "OperationOutcome",
                    "issue": [
                        {"severity": "warning", "code": "not-supported", "diagnostics": w} for w in result.warnings
                    ],
                },
                "search": {"mode": "outcome"},
            }
        )
    if entries and query.summary != "count":
        bundle["entry"] = entries
    return bundle


def _entry(
    stored: StoredResource,
    mode: str,
    base_url: str,
    summary: str | None,
    elements: tuple[str, ...] | None,
    disclose: Disclose,
) -> dict[str, Any]:
    shaped = disclose(stored)
    if summary is not None or elements:
        resource: Any = resource_shape(
            shaped if shaped is not None else stored.resource, summary=summary, elements=elements
        )
    elif shaped is not None:
        resource = shaped
    else:
        resource = orjson.Fragment(stored.body)
    return {
        "fullUrl": f"{base_url}/{stored.resource_type}/{stored.id}",
        "resource": resource,
        "search": {"mode": mode},
    }
