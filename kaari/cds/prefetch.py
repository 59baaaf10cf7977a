"""Prefetch (CDS Hooks 2.0): render a service's templates for one call and complete what the client left out.

A key the client sent is used as sent (null meaning "no data"). A key it did not send is read from Kaari's own
store through the caller's gate, so the caller sees only what their access allows and the reads are logged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from kaari.cds.hooks import CdsRequest
from kaari.cds.registry import CdsService

_TOKEN = re.compile(r"\{\{\s*([A-Za-z][A-Za-z0-9_.]*)\s*\}\}")
_USER_TOKENS = {
    "userPractitionerId": "Practitioner",
    "userPractitionerRoleId": "PractitionerRole",
    "userPatientId": "Patient",
    "userRelatedPersonId": "RelatedPerson",
}

# Reads one rendered prefetch query ("Patient/1" or "Observation?patient=1&code=...") for the caller: a resource,
# a searchset Bundle, or None when there is nothing.
PrefetchRead = Callable[[str], dict[str, Any] | None]


def template_render(template: str, request: CdsRequest) -> str | None:
    """The template with its tokens filled in, or None when the call lacks a value one of them needs."""
    missing = False

    def value(match: re.Match[str]) -> str:
        nonlocal missing
        token = match.group(1)
        if token in _USER_TOKENS:
            kind, _, user_id = request.user_id.partition("/")
            if kind == _USER_TOKENS[token]:
                return user_id
        elif token.startswith("context."):
            found = request.context.get(token.removeprefix("context."))
            if isinstance(found, str) and found:
                return found
        missing = True
        return ""

    rendered = _TOKEN.sub(value, template)
    return None if missing else rendered


@dataclass(frozen=True)
class PrefetchOutcome:
    request: CdsRequest
    given: tuple[str, ...]
    read: tuple[str, ...]


def prefetch_complete(*, service: CdsService, request: CdsRequest, read: PrefetchRead) -> PrefetchOutcome:
    """The request with every prefetch key of the service filled: as given, else read through the store."""
    prefetch = dict(request.prefetch)
    given = tuple(key for key in service.prefetch if key in prefetch)
    fetched: list[str] = []
    for key, template in service.prefetch.items():
        if key in prefetch:
            continue
        query = template_render(template, request)
        prefetch[key] = None if query is None else read(query)
        fetched.append(key)
    return PrefetchOutcome(replace(request, prefetch=prefetch), given, tuple(fetched))
