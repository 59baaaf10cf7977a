"""Prescriptions, drug allergies and vaccinations.

Chronic medicines follow the condition's treatment slots (data/conditions.json) and are renewed as two-year
e-prescriptions. Older people get the common extra medicines of data/medications.json, some of which are
potentially inappropriate at 75+; people with knee osteoarthritis get NSAID courses. Interacting combinations
(warfarin + NSAID, ACE inhibitor/ARB + diuretic + NSAID) therefore arise where these meet, at the rate the model
produces, not by planting them.
"""

from __future__ import annotations

import datetime as dt

from kaari.synth import fhir, knowledge
from kaari.synth.clock import age_on, iso_date, iso_datetime
from kaari.synth.fhir import HEALTH, Resource
from kaari.synth.health import Context
from kaari.synth.knowledge import Drug, MedSlot
from kaari.synth.organizations import Unit
from kaari.synth.sampling import days_in, minute_of_office, weighted

ALLERGY_CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
ALLERGY_VERIFICATION = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"
CATEGORY = "http://terminology.hl7.org/CodeSystem/medicationrequest-category"


def _group(atc: str) -> str:
    """Two drugs of one group are not both prescribed (one statin, one RAS blocker, one beta blocker)."""
    return atc[:3] if atc.startswith("C09") else atc[:5]


def medicines_render(ctx: Context) -> list[tuple[int, int]]:
    """All MedicationRequests and allergies; returns the periods on warfarin (for INR monitoring)."""
    rec, rng, person = ctx.record, ctx.rng, ctx.person
    groups: set[str] = set()
    warfarin: list[tuple[int, int]] = []
    allergy = _allergy(ctx)
    nsaid_allergic = allergy is not None and allergy.startswith("M01A")

    def choose(slot: MedSlot) -> Drug:
        return weighted(rng, slot.choose, [d[3] for d in slot.choose])

    for spec, onset in ctx.story.conditions:
        unit, cond_id = ctx.cond_units[spec.key], ctx.cond_ids[spec.key]
        prescriber = rec.gp if unit is rec.centre else unit.pick("physician", rng)
        begin = onset + int(rng.random() * 30)
        for slot in spec.meds:
            if rng.random() >= slot.probability:
                continue
            drug = choose(slot)
            if _group(drug[0]) in groups:
                continue
            groups.add(_group(drug[0]))
            _prescriptions(ctx, drug, begin, unit, prescriber, cond_id)
            if drug[0] == "B01AA03":
                warfarin.append((begin, ctx.end))
    ctx.flags["nsaid_allergic"] = nsaid_allergic
    ctx.flags["anticoagulated"] = bool(warfarin) or "B01AF" in groups
    for spec, onset in ctx.story.conditions:
        if spec.nsaid and not nsaid_allergic:
            rate = spec.nsaid["per_year"] * (0.3 if ctx.flags["anticoagulated"] else 1.0)
            for day in days_in(rng, rate_per_year=rate, start=max(onset, ctx.start), end=ctx.end):
                nsaid_prescribe(ctx, day, ctx.cond_ids[spec.key])
    elderly = knowledge.medications()["elderly"]
    turns_65 = _birthday(person.birth, elderly["from_age"])
    if turns_65 < ctx.end:
        old = age_on(birth=person.birth, day=ctx.end - 1) >= 75
        for raw in elderly["slots"]:
            if rng.random() >= raw["p"][1 if old else 0]:
                continue
            slot = MedSlot(probability=1.0, choose=tuple((r[0], r[1], r[2], r[3]) for r in raw["choose"]))
            drug = choose(slot)
            if _group(drug[0]) in groups:
                continue
            groups.add(_group(drug[0]))
            begin = max(turns_65, ctx.start - int(rng.random() * 700) + int(rng.random() * 1460))
            _prescriptions(ctx, drug, begin, rec.centre, rec.gp, None)
    return warfarin


def nsaid_prescribe(ctx: Context, day: int, cond_id: str | None) -> None:
    """A short NSAID course, as prescribed for joint or back pain (data/conditions.json, osteoarthritis)."""
    rng, rec = ctx.rng, ctx.record
    table = next(spec.nsaid for spec in knowledge.conditions() if spec.nsaid)
    assert table is not None
    drug = weighted(rng, table["choose"], [d[3] for d in table["choose"]])
    low, high = table["days"]
    course = low + int(rng.random() * (high - low + 1))
    _request(ctx, (drug[0], drug[1], drug[2], 1), day, day + course, rec.centre, rec.gp, cond_id, course=course)


def _birthday(birth: int, age: int) -> int:
    born = dt.date.fromordinal(birth)
    try:
        return born.replace(year=born.year + age).toordinal()
    except ValueError:
        return born.replace(year=born.year + age, day=28).toordinal()


def _prescriptions(ctx: Context, drug: Drug, begin: int, unit: Unit, prescriber: str, cond_id: str | None) -> None:
    """Two-year e-prescriptions from `begin` on, renewed until the end; the one valid at the window start is kept."""
    validity = knowledge.medications()["prescription_validity_days"]
    day = begin
    while day + validity <= ctx.start:
        day += validity
    while day < ctx.end:
        _request(ctx, drug, day, day + validity, unit, prescriber, cond_id)
        day += validity - int(ctx.rng.random() * 60)


def _request(
    ctx: Context,
    drug: Drug,
    day: int,
    until: int,
    unit: Unit,
    prescriber: str,
    cond_id: str | None,
    course: int | None = None,
) -> None:
    rec = ctx.record
    status = "completed" if until <= ctx.end else "stopped" if ctx.story.death is not None else "active"
    request: Resource = {
        "resourceType": "MedicationRequest",
        "id": rec.ident("med"),
        "meta": fhir.meta_client(register=HEALTH, keeper=unit.ident),
        "status": status,
        "intent": "order",
        "category": [{"coding": [{"system": CATEGORY, "code": "community", "display": "Community"}]}],
        "medicationCodeableConcept": fhir.concept(fhir.ATC, drug[0], drug[1]),
        "subject": rec.patient_ref(),
        "authoredOn": iso_datetime(day, minute_of_office(ctx.rng)),
        "requester": {"reference": f"Practitioner/{prescriber}"},
        "dosageInstruction": [{"text": drug[2]}],
        "dispenseRequest": {
            "validityPeriod": {"start": iso_date(day), "end": iso_date(until if course is None else day + 365)}
        },
    }
    if cond_id:
        request["reasonReference"] = [{"reference": f"Condition/{cond_id}"}]
    if course is not None:
        request["dispenseRequest"]["expectedSupplyDuration"] = {
            "value": course,
            "unit": "vrk",
            "system": fhir.UCUM,
            "code": "d",
        }
        request["status"] = "completed" if day + course <= ctx.end else status
    rec.out.append(request)


def _allergy(ctx: Context) -> str | None:
    rec, rng = ctx.record, ctx.rng
    table = knowledge.medications()["allergies"]
    if rng.random() >= table["rate"]:
        return None
    row = weighted(rng, table["choose"], [r[3] for r in table["choose"]])
    atc, name, level, _, reaction, reaction_text = row
    recorded = max(ctx.person.birth + 365, ctx.start - int(rng.random() * 3650))
    severe = reaction == "39579001"
    rec.out.append(
        {
            "resourceType": "AllergyIntolerance",
            "id": rec.ident("alg"),
            "meta": fhir.meta_client(register=HEALTH, keeper=rec.centre.ident),
            "clinicalStatus": {"coding": [{"system": ALLERGY_CLINICAL, "code": "active", "display": "Active"}]},
            "verificationStatus": {
                "coding": [
                    {"system": ALLERGY_VERIFICATION, "code": "confirmed", "display": "Confirmed"}
                    if rng.random() < 0.6
                    else {"system": ALLERGY_VERIFICATION, "code": "unconfirmed", "display": "Unconfirmed"}
                ]
            },
            "type": "allergy",
            "category": ["medication"],
            "criticality": "high" if severe else "low",
            "code": fhir.concept(fhir.ATC, atc, name + (" (lääkeaineryhmä)" if level == "class" else "")),
            "patient": rec.patient_ref(),
            "recordedDate": iso_date(recorded),
            "recorder": {"reference": f"Practitioner/{rec.gp}"},
            "reaction": [
                {
                    "manifestation": [fhir.concept(fhir.SNOMED, reaction, reaction_text)],
                    "severity": "severe" if severe else "mild",
                }
            ],
        }
    )
    return str(atc)


def immunizations_render(ctx: Context) -> None:
    rng, person = ctx.rng, ctx.person
    table = knowledge.medications()["immunizations"]
    if rng.random() < table["coverage_child"]:
        for offset, atc, name in table["child_schedule_days"]:
            day = person.birth + offset
            if ctx.start <= day < ctx.end:
                _immunization(ctx, day, atc, name)
    influenza, covid = table["influenza"], table["covid"]
    risk = any(ctx.story.has(k) for k in ("copd", "heart-failure", "diabetes-t2", "diabetes-t1", "chd", "asthma"))
    inclined = rng.random()  # the same people tend to take the vaccine every year
    for year in range(dt.date.fromordinal(ctx.start).year, dt.date.fromordinal(ctx.end).year + 1):
        day = dt.date(year, influenza["month"], 15).toordinal() + int(rng.random() * 40)
        if ctx.start <= day < ctx.end:
            age = age_on(birth=person.birth, day=day)
            coverage = (
                influenza["coverage"] if age >= influenza["from_age"] else influenza["risk_coverage"] if risk else 0
            )
            if inclined < coverage:
                _immunization(ctx, day, influenza["atc"], influenza["display"])
            if age >= covid["from_age"] and inclined < covid["coverage"]:
                _immunization(ctx, day + 1 + int(rng.random() * 30), covid["atc"], covid["display"])


def _immunization(ctx: Context, day: int, atc: str, name: str) -> None:
    rec = ctx.record
    if day >= ctx.end:
        return
    when = iso_datetime(day, minute_of_office(ctx.rng))
    rec.out.append(
        {
            "resourceType": "Immunization",
            "id": rec.ident("imm"),
            "meta": fhir.meta_client(register=HEALTH, keeper=rec.centre.ident),
            "status": "completed",
            "vaccineCode": fhir.concept(fhir.ATC, atc, name),
            "patient": rec.patient_ref(),
            "occurrenceDateTime": when,
            "recorded": when,
            "primarySource": True,
            "performer": [{"actor": {"reference": f"Practitioner/{rec.nurse}"}}],
        }
    )
