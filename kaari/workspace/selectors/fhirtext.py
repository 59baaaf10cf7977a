"""Small readings of FHIR values for display: a concept's text, a date, a person's name, an age."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kaari.fhir.search.service import SearchRequest
from kaari.fhir.store import Store, StoredResource


def concept_text(concept: Any) -> str:
    """The text a person reads for a CodeableConcept: its text, else the first display, else the first code."""
    if not isinstance(concept, dict):
        return ""
    if concept.get("text"):
        return str(concept["text"])
    for coding in concept.get("coding") or ():
        if coding.get("display"):
            return str(coding["display"])
    codings = concept.get("coding") or [{}]
    return str(codings[0].get("code", ""))


def concept_codes(concept: Any) -> set[str]:
    if not isinstance(concept, dict):
        return set()
    return {str(c.get("code")) for c in concept.get("coding") or () if c.get("code")}


def human_name(names: Any) -> str:
    """The official (else first) HumanName as 'Given Family'."""
    if not isinstance(names, list) or not names:
        return ""
    name = next((n for n in names if n.get("use") == "official"), names[0])
    if name.get("text"):
        return str(name["text"])
    return " ".join([*name.get("given", []), name.get("family", "")]).strip()


def moment_of(value: Any) -> dt.datetime | None:
    """A FHIR date or dateTime as an aware datetime (dates at midnight UTC), None if absent or malformed."""
    if not isinstance(value, str) or len(value) < 4:
        return None
    try:
        if len(value) <= 10:
            parts = [int(p) for p in value.split("-")] + [1, 1]
            return dt.datetime(parts[0], parts[1], parts[2], tzinfo=dt.UTC)
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def age_on(birth_date: str, today: dt.date) -> int | None:
    moment = moment_of(birth_date)
    if moment is None:
        return None
    born = moment.date()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def reference_id(reference: Any, resource_type: str) -> str:
    target = str(reference.get("reference", "")) if isinstance(reference, dict) else ""
    prefix = f"{resource_type}/"
    return target[len(prefix) :] if target.startswith(prefix) else ""


def search(
    store: Store, resource_type: str, *params: tuple[str, str]
) -> tuple[list[StoredResource], list[StoredResource]]:
    """One search through the store (and so through the gate): the matches and the included resources."""
    outcome = store.search(SearchRequest(resource_types=(resource_type,), params=params))
    return outcome.result.matches, outcome.result.included


def disclosed(store: Store, stored: StoredResource) -> dict[str, Any]:
    """The resource as the gate lets this user see it (turvakielto removes the address)."""
    return store.gate.disclose(stored.resource) if store.gate.needs_redaction(stored) else stored.resource
