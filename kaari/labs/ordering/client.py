"""Who the page is about: name, age and personal identity code from a Patient dict."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kaari.fhir.conventions import HETU_SYSTEM


@dataclass(frozen=True)
class ClientHeader:
    patient_id: str
    name: str
    age: int | None
    hetu: str


def client_header(patient: Mapping[str, Any], *, today: date) -> ClientHeader:
    names = patient.get("name") or [{}]
    human = next((n for n in names if n.get("use") == "official"), names[0])
    name = human.get("text") or " ".join([*human.get("given", []), human.get("family", "")]).strip()
    hetu = next((str(i.get("value")) for i in patient.get("identifier") or [] if i.get("system") == HETU_SYSTEM), "")
    return ClientHeader(
        patient_id=str(patient.get("id", "")), name=name or "—", age=_age(patient.get("birthDate"), today), hetu=hetu
    )


def _age(birth: Any, today: date) -> int | None:
    try:
        born = date.fromisoformat(str(birth)[:10])
    except ValueError:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
