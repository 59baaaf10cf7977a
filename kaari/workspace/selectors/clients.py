"""Client search: by personal identity code (exact), by birth date, or by name (accent-insensitive)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from kaari.access.redaction import has_turvakielto
from kaari.fhir.conventions import HETU_SYSTEM
from kaari.fhir.store import Store
from kaari.lib.hetu import hetu_is_valid
from kaari.workspace.selectors.fhirtext import age_on, disclosed, human_name, search

MUNICIPALITY_EXTENSION = "https://hl7.fi/fhir/finnish-base-profiles/StructureDefinition/municipality-code"
RESULTS = 20
_FINNISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class ClientRow:
    id: str
    name: str
    hetu: str
    birth_date: str
    age: int | None
    municipality: str
    turvakielto: bool


@dataclass(frozen=True)
class ClientSearch:
    query: str
    kind: str  # "hetu", "birthdate", "name" or "" for too short a query
    rows: list[ClientRow]

    @property
    def single_hetu_match(self) -> ClientRow | None:
        """The one client an exact identity code found: Enter opens the chart directly."""
        return self.rows[0] if self.kind == "hetu" and len(self.rows) == 1 else None


def search_kind(query: str) -> tuple[str, str]:
    """What the typed text is, and the value to search for."""
    text = query.strip()
    if hetu_is_valid(text.upper()):
        return "hetu", text.upper()
    finnish = _FINNISH_DATE.match(text)
    if finnish:
        day, month, year = (int(g) for g in finnish.groups())
        try:
            return "birthdate", dt.date(year, month, day).isoformat()
        except ValueError:
            return "", ""
    if _ISO_DATE.match(text):
        try:
            return "birthdate", dt.date.fromisoformat(text).isoformat()
        except ValueError:
            return "", ""
    if len(text) >= 2 and not text.isdigit():
        return "name", text
    return "", ""


def clients_find(*, store: Store, query: str, today: dt.date | None = None) -> ClientSearch:
    kind, value = search_kind(query)
    if not kind:
        return ClientSearch(query=query, kind="", rows=[])
    params: list[tuple[str, str]] = [("_count", str(RESULTS))]
    if kind == "hetu":
        params.append(("identifier", f"{HETU_SYSTEM}|{value}"))
    elif kind == "birthdate":
        params.append(("birthdate", value))
    else:
        params += [("name", word) for word in value.split()]
    matches, _ = search(store, "Patient", *params)
    today = today or dt.date.today()
    rows = [client_row(disclosed(store, stored), today) for stored in matches]
    rows.sort(key=lambda row: row.name)
    return ClientSearch(query=query, kind=kind, rows=rows)


def client_row(patient: dict[str, Any], today: dt.date) -> ClientRow:
    hetu = next((i.get("value", "") for i in patient.get("identifier", ()) if i.get("system") == HETU_SYSTEM), "")
    municipality = ""
    for extension in patient.get("extension", ()):
        if extension.get("url") == MUNICIPALITY_EXTENSION:
            municipality = str((extension.get("valueCoding") or {}).get("display", ""))
    return ClientRow(
        id=str(patient["id"]),
        name=human_name(patient.get("name")),
        hetu=str(hetu),
        birth_date=str(patient.get("birthDate", "")),
        age=age_on(str(patient.get("birthDate", "")), today),
        municipality=municipality,
        turvakielto=has_turvakielto(patient),
    )
