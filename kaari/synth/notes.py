"""Short clinical and social work notes in Finnish, filled from the templates in data/notes.json."""

from __future__ import annotations

import random

from kaari.synth import knowledge
from kaari.synth.sampling import one


def _template(kind: str, rng: random.Random) -> str:
    return one(rng, knowledge.notes()["templates"][kind])


def _fill(key: str, rng: random.Random) -> str:
    return one(rng, knowledge.notes()["fill"][key])


def note_chronic(*, rng: random.Random, condition: str, lab_text: str, months: int) -> str:
    return _template("chronic", rng).format(
        condition=condition,
        lab_text=lab_text or "Ei uusia laboratoriotuloksia.",
        next_months=months,
        balance=_fill("balance", rng),
        balance_sentence=_fill("balance_sentence", rng),
    )


def note_acute(*, rng: random.Random, reason: str) -> str:
    return _template("acute", rng).format(reason=reason, days=1 + int(rng.random() * 10))


def note_emergency(*, rng: random.Random, reason: str, admitted: bool) -> str:
    disposition = "osastolle jatkohoitoon" if admitted else _fill("disposition", rng)
    if admitted is False and disposition.startswith("osastolle"):
        disposition = "kotiin, jatkohoito omalla terveysasemalla"
    return _template("emergency", rng).format(
        reason=reason,
        triage=_fill("triage", rng),
        lab_text="Verikokeet otettu.",
        disposition=disposition,
        arrival=_fill("arrival", rng),
    )


def note_discharge(*, rng: random.Random, reason: str, ward: str, days: int) -> str:
    return _template("discharge", rng).format(reason=reason, ward=ward, days=days, followup=_fill("followup", rng))


def note_social(*, rng: random.Random, task: str, need: str, with_guardian: bool) -> str:
    present = " ja huoltaja" if with_guardian else _fill("present", rng).replace(" ja huoltaja", "")
    return _template("social", rng).format(task=task, need=need, present=present, trend=_fill("trend", rng))


def social_need(*, rng: random.Random, task: str) -> str:
    return one(rng, knowledge.notes()["needs"][task])


def acute_reason(*, rng: random.Random, emergency: bool) -> tuple[str, str]:
    rows = knowledge.notes()["fill"]["emergency_reasons" if emergency else "acute_reasons"]
    row = one(rng, rows)
    return str(row[0]), str(row[1])
