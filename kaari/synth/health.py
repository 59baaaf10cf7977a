"""Health care over the window: diagnoses, follow-up with laboratory rounds, acute care, hospital stays.

Volumes come from the rates in data/services.json and from each condition's care intensity in
data/conditions.json, multiplied by the person's frailty. Every visit is costed by `Record.encounter_add`.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

from kaari.synth import knowledge, notes
from kaari.synth.clock import age_on
from kaari.synth.knowledge import ConditionSpec
from kaari.synth.labs import LabState, blood_pressure, lab_round
from kaari.synth.organizations import SPECIALTIES, Unit
from kaari.synth.people import Person
from kaari.synth.record import Record, Visit
from kaari.synth.sampling import days_in, minute_of_office, one
from kaari.synth.stories import Story

CHILD_CLINIC_DAYS = (7, 30, 60, 90, 120, 150, 240, 365, 540, 730, 1095, 1460, 1825, 2190)
CHILD_CLINIC_PHYSICIAN = {60, 240, 540, 1460}
GENERAL_CLINICS = {
    "child": ("paediatrics", "surgery", "ophthalmology"),
    "adult": ("surgery", "orthopaedics", "internal-medicine", "ophthalmology"),
    "old": ("ophthalmology", "orthopaedics", "internal-medicine", "surgery"),
}
GENERAL_SPECIALIST_REASONS = {
    "paediatrics": ("R62.8", "Kasvun ja kehityksen poikkeama"),
    "surgery": ("K40.9", "Nivustyrä"),
    "ophthalmology": ("H25.9", "Harmaakaihi"),
    "orthopaedics": ("M75.1", "Kiertäjäkalvosimen oireyhtymä"),
    "internal-medicine": ("D64.9", "Anemia"),
}
ELECTIVE = (("orthopaedics", ("M16.9", "Lonkan nivelrikko")), ("surgery", ("K80.2", "Sappikivitauti")))


@dataclass
class Context:
    record: Record
    story: Story
    person: Person
    rng: random.Random
    start: int
    cond_ids: dict[str, str] = field(default_factory=dict)
    cond_units: dict[str, Unit] = field(default_factory=dict)
    services: dict[str, Any] = field(default_factory=knowledge.services)
    open_cases: list[Any] = field(default_factory=list)
    flags: dict[str, bool] = field(default_factory=dict)

    @property
    def end(self) -> int:
        return self.story.end

    def band_at(self, day: int) -> int:
        return knowledge.band_of(age_on(birth=self.person.birth, day=day))


def conditions_render(ctx: Context) -> None:
    """Problem-list Conditions, each with the visit where it was diagnosed when that falls in the window."""
    rec, rng = ctx.record, ctx.rng
    clinic_of = ctx.services["specialist_clinic_by_condition"]
    for spec, onset in ctx.story.conditions:
        code, display = spec.icd10, spec.display
        if spec.sites:
            site = _weighted_site(rng, spec.sites[ctx.person.sex])
            code, display = site
        hospital_managed = spec.key in ("cancer", "schizophrenia", "diabetes-t1")
        unit = rec.county.clinics[clinic_of[spec.key]] if hospital_managed else rec.centre
        doctor = unit.pick("physician", rng) if hospital_managed else rec.gp
        cond_id = rec.condition_add(code=code, display=display, onset=onset, unit=unit, recorder=doctor)
        ctx.cond_ids[spec.key] = cond_id
        ctx.cond_units[spec.key] = unit
        if onset >= ctx.start:
            item = "specialist-outpatient-visit" if hospital_managed else "pc-physician-visit"
            if spec.key == "schizophrenia":
                item = "psychiatric-outpatient-visit"
            minute = minute_of_office(rng)
            enc = rec.encounter_add(Visit(onset, minute, unit, item, doctor, reason=(code, display), condition=cond_id))
            text = (
                f"Tulosyy: uusi diagnoosi.\nArvio: {display} ({code}).\n"
                "Suunnitelma: Hoito aloitetaan, seuranta sovittu."
            )
            rec.note_add(
                day=onset,
                minute=minute + 25,
                text=text,
                kind="progress",
                encounter=enc,
                unit=unit,
                author=doctor,
                register="health-care",
            )


def _weighted_site(rng: random.Random, rows: list[list[Any]]) -> tuple[str, str]:
    total = sum(r[2] for r in rows)
    point = rng.random() * total
    for row in rows:
        point -= row[2]
        if point < 0:
            return str(row[0]), str(row[1])
    return str(rows[-1][0]), str(rows[-1][1])


def chronic_render(ctx: Context, labs: LabState, warfarin: list[tuple[int, int]]) -> None:
    """Follow-up of each chronic condition: laboratory rounds with a control visit, extra visits, specialist care,
    emergency visits and admissions at the condition's rates."""
    rec, rng, frailty = ctx.record, ctx.rng, ctx.story.frailty
    hypertensive = ctx.story.has("hypertension")
    clinic_of = ctx.services["specialist_clinic_by_condition"]
    admissions = ctx.services["admissions_by_condition"]
    for spec, onset in ctx.story.conditions:
        first = max(onset, ctx.start)
        if first >= ctx.end:
            continue
        years = (ctx.end - first) / 365.0
        cond_id = ctx.cond_ids[spec.key]
        rounds = _lab_rounds(ctx, spec, first)
        for number, (day, tests) in enumerate(rounds):
            texts = lab_round(record=rec, state=labs, day=day, tests=tests, unit=rec.centre)
            visit_day = day + 3 + int(rng.random() * 7)
            if visit_day >= ctx.end:
                continue
            physician = number % 2 == 1 or spec.pc_nurse == 0
            _control_visit(ctx, spec, cond_id, visit_day, physician, texts, labs if hypertensive else None)
        extra_nurse = max(0.0, spec.pc_nurse - (len(rounds) / years if years else 0))
        for day in days_in(rng, rate_per_year=extra_nurse * math.exp(0.3 * frailty), start=first, end=ctx.end):
            _control_visit(ctx, spec, cond_id, day, False, [], labs if hypertensive else None)
        for day in days_in(
            rng, rate_per_year=spec.pc_physician * 0.6 * math.exp(0.3 * frailty), start=first, end=ctx.end
        ):
            _control_visit(ctx, spec, cond_id, day, True, [], None)
        clinic = rec.county.clinics[clinic_of[spec.key]]
        specialist_rate = spec.specialist * math.exp(0.4 * frailty)
        item = "psychiatric-outpatient-visit" if clinic_of[spec.key] == "psychiatry" else "specialist-outpatient-visit"
        days = days_in(rng, rate_per_year=specialist_rate, start=first, end=ctx.end)
        if spec.key == "cancer" and onset >= ctx.start:
            days += days_in(
                rng, rate_per_year=ctx.services["cancer_first_year_visits"], start=onset, end=min(onset + 365, ctx.end)
            )
        for day in sorted(days):
            doctor = clinic.pick("physician", rng)
            rec.encounter_add(Visit(day, minute_of_office(rng), clinic, item, doctor, condition=cond_id))
        for day in days_in(rng, rate_per_year=spec.er * math.exp(0.45 * frailty), start=first, end=ctx.end):
            emergency_visit(ctx, day, reason=(spec.icd10, spec.display), condition=cond_id)
        admission = admissions.get(spec.key)
        if admission:
            until = min(onset + 365, ctx.end) if admission.get("first_year_only") else ctx.end
            since = onset if admission.get("first_year_only") else first
            if since < ctx.start:
                continue
            rate = admission["rate"] * math.exp(0.3 * frailty)
            for day in days_in(rng, rate_per_year=rate, start=since, end=until):
                reason = tuple(admission["reason"]) if admission["reason"] else (spec.icd10, spec.display)
                hospital_stay(
                    ctx,
                    day,
                    ward=admission["ward"],
                    los_mean=admission["los"],
                    reason=(reason[0], reason[1]),
                    via_emergency=spec.key != "cancer",
                    condition=cond_id,
                )
    for begin, stop in warfarin:
        day = max(begin, ctx.start)
        while day < min(stop, ctx.end):
            lab_round(record=rec, state=labs, day=day, tests=["inr"], unit=rec.centre)
            day += 21 + int(rng.random() * 22) if rng.random() > 0.1 else 7 + int(rng.random() * 7)


def _lab_rounds(ctx: Context, spec: ConditionSpec, first: int) -> list[tuple[int, list[str]]]:
    """Days of laboratory rounds driven by the condition's first test; other tests join when they are due.
    With the test's `early` probability the next round comes after 20-75 days, as real repeats sometimes do."""
    if not spec.labs:
        return []
    rng = ctx.rng
    primary = spec.labs[0]
    last: dict[str, int] = {}
    rounds = []
    day = first + int(rng.random() * primary.every)
    while day < ctx.end:
        tests = [primary.test]
        for schedule in spec.labs[1:]:
            if day - last.get(schedule.test, -(10**6)) >= schedule.every * 0.9:
                tests.append(schedule.test)
        for test in tests:
            last[test] = day
        rounds.append((day, tests))
        if rng.random() < primary.early:
            day += 20 + int(rng.random() * 56)
        else:
            day += int(primary.every * (0.85 + rng.random() * 0.4))
    return rounds


def _control_visit(
    ctx: Context,
    spec: ConditionSpec,
    cond_id: str,
    day: int,
    physician: bool,
    lab_texts: list[str],
    labs: LabState | None,
) -> None:
    rec, rng = ctx.record, ctx.rng
    minute = minute_of_office(rng)
    who = rec.gp if physician else rec.nurse
    item = "pc-physician-visit" if physician else "pc-nurse-visit"
    enc = rec.encounter_add(
        Visit(day, minute, rec.centre, item, who, reason=(spec.icd10, spec.display), condition=cond_id)
    )
    if labs is not None:
        lab_texts = [
            *lab_texts,
            blood_pressure(record=rec, state=labs, day=day, minute=minute + 5, encounter=enc, unit=rec.centre),
        ]
    if physician:
        text = notes.note_chronic(
            rng=rng, condition=spec.display, lab_text=", ".join(lab_texts), months=one(rng, (3, 6, 12))
        )
        rec.note_add(
            day=day,
            minute=minute + 25,
            text=text,
            kind="progress",
            encounter=enc,
            unit=rec.centre,
            author=who,
            register="health-care",
        )


def emergency_visit(
    ctx: Context,
    day: int,
    *,
    reason: tuple[str, str] | None = None,
    condition: str | None = None,
    admit: bool | None = None,
) -> None:
    rec, rng = ctx.record, ctx.rng
    if reason is None:
        reason = notes.acute_reason(rng=rng, emergency=True)
    band = ctx.band_at(day)
    if admit is None:
        admit = rng.random() < ctx.services["admission_probability"][band]
    er = rec.county.emergency
    minute = int(rng.random() * 1380)
    doctor = er.pick("physician", rng)
    enc = rec.encounter_add(
        Visit(
            day,
            minute,
            er,
            "emergency-visit",
            doctor,
            cls="EMER",
            end_minute=minute + 180,
            reason=reason,
            condition=condition,
        )
    )
    rec.note_add(
        day=day,
        minute=min(minute + 150, 1439),
        text=notes.note_emergency(rng=rng, reason=reason[1], admitted=admit),
        kind="emergency",
        encounter=enc,
        unit=er,
        author=doctor,
        register="health-care",
    )
    if admit:
        ward = "internal-medicine" if reason[0][0] in "RJIN" else "surgery"
        hospital_stay(
            ctx,
            day,
            ward=ward,
            los_mean=ctx.services["length_of_stay"][band],
            reason=reason,
            via_emergency=False,
            condition=condition,
        )


def hospital_stay(
    ctx: Context,
    day: int,
    *,
    ward: str,
    los_mean: float,
    reason: tuple[str, str],
    via_emergency: bool,
    condition: str | None,
    until_death: bool = False,
) -> None:
    rec, rng = ctx.record, ctx.rng
    if via_emergency:
        emergency_visit(ctx, day, reason=reason, condition=condition, admit=False)
    los = max(1, round(rng.expovariate(1.0 / los_mean))) if not until_death else max(1, ctx.end - day)
    unit = rec.county.wards[ward]
    item = "psychiatric-inpatient-day" if ward == "psychiatry" else "specialist-inpatient-day"
    _stay(ctx, day, los, unit, item, reason, condition, SPECIALTIES[ward][1].lower() + " vuodeosasto")
    after = ctx.services["primary_ward_after_admission"]
    out = day + los
    if (
        not until_death
        and out < ctx.end
        and age_on(birth=ctx.person.birth, day=day) >= after["from_age"]
        and rng.random() < after["probability"]
    ):
        ward_unit = rec.county.primary_wards[rec.area]
        _stay(
            ctx,
            out,
            max(2, round(rng.expovariate(1.0 / after["length_of_stay"]))),
            ward_unit,
            "pc-ward-day",
            reason,
            condition,
            "terveyskeskussairaala",
        )


def _stay(
    ctx: Context,
    day: int,
    los: int,
    unit: Unit,
    item: str,
    reason: tuple[str, str],
    condition: str | None,
    ward_name: str,
) -> None:
    rec, rng = ctx.record, ctx.rng
    out = min(day + los, ctx.end)
    ongoing = ctx.story.death is None and day + los >= ctx.end
    los = max(1, out - day)
    doctor = unit.pick("physician", rng)
    enc = rec.encounter_add(
        Visit(
            day,
            600,
            unit,
            item,
            doctor,
            cls="IMP",
            end_day=out,
            end_minute=720,
            quantity=los,
            reason=reason,
            condition=condition,
            status="in-progress" if ongoing else "finished",
            disposition=None if ongoing else ("exp" if ctx.story.death == out else "home"),
        )
    )
    if not ongoing:
        rec.note_add(
            day=out,
            minute=700,
            text=notes.note_discharge(rng=rng, reason=reason[1], ward=ward_name, days=los),
            kind="discharge",
            encounter=enc,
            unit=unit,
            author=doctor,
            register="health-care",
        )
