"""The timeline (health and social care events together), upcoming appointments and recent documents."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import html
import re
from dataclasses import dataclass

from kaari.fhir.conventions import REGISTER_SOCIAL
from kaari.fhir.store import Store, StoredResource
from kaari.workspace.selectors.fhirtext import concept_text, moment_of, search

TIMELINE_LENGTH = 30
RECENT_DAYS = 365
EXCERPT = 240
KINDS = ("all", "health", "social", "visits", "notes")
_TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Event:
    when: dt.datetime
    register: str  # "health-care" or "social-welfare"
    category: str  # "visit" or "note"
    title: str
    text: str
    where: str

    @property
    def social(self) -> bool:
        return self.register == REGISTER_SOCIAL


@dataclass(frozen=True)
class Appointment:
    when: dt.datetime
    service: str
    description: str
    status: str


def timeline(*, store: Store, patient_id: str, kind: str = "all") -> list[Event]:
    """The newest events of the kind, newest first; `kind` is one of KINDS (anything else means all)."""
    events: list[Event] = []
    if kind != "notes":
        encounters, providers = newest(
            store, "Encounter", patient_id, TIMELINE_LENGTH, ("_include", "Encounter:service-provider")
        )
        units = {f"Organization/{o.id}": str(o.resource.get("name", "")) for o in providers}
        events += [_visit(e, units) for e in encounters]
    if kind != "visits":
        events += documents_recent(store=store, patient_id=patient_id, count=TIMELINE_LENGTH)
    if kind == "health":
        events = [e for e in events if not e.social]
    elif kind == "social":
        events = [e for e in events if e.social]
    events.sort(key=lambda e: e.when, reverse=True)
    return events[:TIMELINE_LENGTH]


def documents_recent(*, store: Store, patient_id: str, count: int = 10) -> list[Event]:
    """Notes and documents, newest first: DocumentReferences and Compositions (clinical notes)."""
    references, _ = newest(store, "DocumentReference", patient_id, count)
    compositions, _ = newest(store, "Composition", patient_id, count)
    notes = [_document(d) for d in references] + [_composition(c) for c in compositions]
    notes.sort(key=lambda e: e.when, reverse=True)
    return notes[:count]


def newest(
    store: Store,
    resource_type: str,
    patient_id: str,
    count: int,
    *extra: tuple[str, str],
    days: int = RECENT_DAYS,
    enough: int | None = None,
) -> tuple[list[StoredResource], list[StoredResource]]:
    """The client's newest resources of a type by `date`. The last `days` first: sorting a heavy user's whole
    history (a thousand visits) costs more than the chart may, and a year usually fills the page. The whole
    history only when the window holds fewer than `enough` (default: a page)."""
    since = (dt.date.today() - dt.timedelta(days=days)).isoformat()
    base = (("patient", patient_id), ("_sort", "-date"), ("_count", str(count)), *extra)
    found, included = search(store, resource_type, *base, ("date", f"ge{since}"))
    if len(found) >= (count if enough is None else enough):
        return found, included
    return search(store, resource_type, *base)


def appointments_upcoming(*, store: Store, patient_id: str, today: dt.date | None = None) -> list[Appointment]:
    today = today or dt.date.today()
    found, _ = search(
        store,
        "Appointment",
        ("patient", patient_id),
        ("date", f"ge{today.isoformat()}"),
        ("status", "proposed,pending,booked,arrived,checked-in,waitlist"),
        ("_sort", "date"),
        ("_count", "10"),
    )
    rows = []
    for stored in found:
        resource = stored.resource
        when = moment_of(resource.get("start"))
        if when is None:
            continue
        rows.append(
            Appointment(
                when=when,
                service=", ".join(concept_text(s) for s in resource.get("serviceType", ())),
                description=str(resource.get("description", "")),
                status=str(resource.get("status", "")),
            )
        )
    return rows


def _register(stored: StoredResource) -> str:
    return stored.register or "health-care"


def _visit(stored: StoredResource, units: dict[str, str]) -> Event:
    resource = stored.resource
    provider = str((resource.get("serviceProvider") or {}).get("reference", ""))
    reasons = ", ".join(concept_text(r) for r in resource.get("reasonCode", ()))
    return Event(
        when=moment_of((resource.get("period") or {}).get("start")) or stored.last_updated,
        register=_register(stored),
        category="visit",
        title=concept_text((resource.get("type") or [{}])[0]) or concept_text(resource.get("serviceType")),
        text=reasons,
        where=units.get(provider, ""),
    )


def _document(stored: StoredResource) -> Event:
    resource = stored.resource
    text = ""
    for content in resource.get("content", ()):
        attachment = content.get("attachment") or {}
        if attachment.get("data") and str(attachment.get("contentType", "")).startswith("text/plain"):
            try:
                text = base64.b64decode(attachment["data"]).decode("utf-8", errors="replace")
            except (binascii.Error, ValueError):
                text = ""
            break
    return Event(
        when=moment_of(resource.get("date")) or stored.last_updated,
        register=_register(stored),
        category="note",
        title=str(((resource.get("content") or [{}])[0].get("attachment") or {}).get("title", ""))
        or concept_text(resource.get("type")),
        text=_excerpt(text),
        where="",
    )


def _composition(stored: StoredResource) -> Event:
    resource = stored.resource
    parts = []
    for section in resource.get("section", ()):
        body = html.unescape(_TAGS.sub(" ", str((section.get("text") or {}).get("div", ""))))
        parts.append(f"{section.get('title', '')}: {' '.join(body.split())}")
    authors = ", ".join(str(a.get("display", "")) for a in resource.get("author", ()) if a.get("display"))
    return Event(
        when=moment_of(resource.get("date")) or stored.last_updated,
        register=_register(stored),
        category="note",
        title=str(resource.get("title", "")),
        text=_excerpt(" · ".join(parts)),
        where=authors,
    )


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT else flat[: EXCERPT - 1] + "…"
