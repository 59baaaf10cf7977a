"""Care everybody may need regardless of chronic illness: acute primary care, dental care, child health and school
health clinics, maternity care and births, general specialist referrals, emergencies, elective surgery, and the
hospital stay that often ends a life."""

from __future__ import annotations

import math

from kaari.synth import notes
from kaari.synth.clock import age_on
from kaari.synth.health import (
    CHILD_CLINIC_DAYS,
    CHILD_CLINIC_PHYSICIAN,
    ELECTIVE,
    GENERAL_CLINICS,
    GENERAL_SPECIALIST_REASONS,
    Context,
    emergency_visit,
    hospital_stay,
)
from kaari.synth.medicines import nsaid_prescribe
from kaari.synth.record import Visit
from kaari.synth.sampling import days_in, minute_of_office, one, poisson

PAIN_CODES = ("M54.5", "M25.5")


def general_render(ctx: Context) -> None:
    rec, rng, person, svc = ctx.record, ctx.rng, ctx.person, ctx.services
    frailty = ctx.story.frailty
    primary = math.exp(svc["frailty"]["primary"] * frailty)
    specialist = math.exp(svc["frailty"]["specialist"] * frailty)
    emergency = math.exp(svc["frailty"]["emergency"] * frailty)
    elective = math.exp(svc["frailty"]["elective"] * frailty)
    for year in range(5):
        begin = ctx.start + 365 * year
        stop = min(begin + 365, ctx.end)
        if begin >= stop:
            break
        age = age_on(birth=person.birth, day=begin)
        if age < 0:
            begin = max(begin, person.birth)
            age = 0
        band = ctx.band_at(begin)
        for day in days_in(rng, rate_per_year=svc["primary_physician"][band] * primary, start=begin, end=stop):
            _acute_primary(ctx, day, physician=True)
        for day in days_in(rng, rate_per_year=svc["primary_nurse"][band] * primary, start=begin, end=stop):
            _acute_primary(ctx, day, physician=False)
        if rng.random() < svc["dental_probability"][band]:
            dental = rec.county.dental[rec.area]
            for _ in range(1 + poisson(rng, 0.6)):
                day = begin + int(rng.random() * (stop - begin))
                rec.encounter_add(
                    Visit(
                        day,
                        minute_of_office(rng),
                        dental,
                        "dental-visit",
                        dental.pick("dentist", rng),
                        reason=("K02.1", "Hammaskaries"),
                    )
                )
        group = "child" if age < 18 else "old" if age >= 65 else "adult"
        for day in days_in(rng, rate_per_year=svc["specialist_base"][band] * specialist, start=begin, end=stop):
            key = one(rng, GENERAL_CLINICS[group])
            clinic = rec.county.clinics[key]
            rec.encounter_add(
                Visit(
                    day,
                    minute_of_office(rng),
                    clinic,
                    "specialist-outpatient-visit",
                    clinic.pick("physician", rng),
                    reason=GENERAL_SPECIALIST_REASONS[key],
                )
            )
        for day in days_in(rng, rate_per_year=svc["emergency_base"][band] * emergency, start=begin, end=stop):
            emergency_visit(ctx, day)
        for day in days_in(rng, rate_per_year=svc["elective_admissions"][band] * elective, start=begin, end=stop):
            ward, reason = one(rng, ELECTIVE)
            hospital_stay(ctx, day, ward=ward, los_mean=3, reason=reason, via_emergency=False, condition=None)
        hip = svc["hip_fracture"][band] + (0.01 if ctx.story.has("dementia", by=begin) else 0.0)
        for day in days_in(rng, rate_per_year=hip * emergency, start=begin, end=stop):
            hospital_stay(
                ctx,
                day,
                ward="orthopaedics",
                los_mean=6,
                reason=("S72.0", "Reisiluun kaulan murtuma"),
                via_emergency=True,
                condition=None,
            )
    _child_clinics(ctx)
    _maternity(ctx)
    if ctx.story.death is not None and rng.random() < svc["end_of_life_admission"]:
        day = max(ctx.start, ctx.story.death - int(rng.random() * 21))
        hospital_stay(
            ctx,
            day,
            ward="internal-medicine",
            los_mean=1,
            reason=("R53", "Yleistilan lasku"),
            via_emergency=True,
            condition=None,
            until_death=True,
        )


def _acute_primary(ctx: Context, day: int, *, physician: bool) -> None:
    rec, rng = ctx.record, ctx.rng
    reason = notes.acute_reason(rng=rng, emergency=False)
    who = rec.centre.pick("physician" if physician else "nurse", rng)
    minute = minute_of_office(rng)
    enc = rec.encounter_add(
        Visit(day, minute, rec.centre, "pc-physician-visit" if physician else "pc-nurse-visit", who, reason=reason)
    )
    if physician:
        rec.note_add(
            day=day,
            minute=minute + 20,
            text=notes.note_acute(rng=rng, reason=reason[1]),
            kind="progress",
            encounter=enc,
            unit=rec.centre,
            author=who,
            register="health-care",
        )
        # Joint and back pain are usually treated with a short NSAID course, less often under anticoagulation.
        likelihood = 0.5 * (0.3 if ctx.flags.get("anticoagulated") else 1.0)
        if reason[0] in PAIN_CODES and not ctx.flags.get("nsaid_allergic") and rng.random() < likelihood:
            nsaid_prescribe(ctx, day, None)


def _child_clinics(ctx: Context) -> None:
    """Child health clinic (neuvola) visits by age, then a yearly school health check from 7 to 17."""
    rec, rng, person = ctx.record, ctx.rng, ctx.person
    if person.age > 18:
        return
    for offset in CHILD_CLINIC_DAYS:
        day = person.birth + offset
        if ctx.start <= day < ctx.end:
            physician = offset in CHILD_CLINIC_PHYSICIAN
            who = rec.gp if physician else rec.nurse
            item = "pc-physician-visit" if physician else "child-health-clinic-visit"
            rec.encounter_add(
                Visit(day, minute_of_office(rng), rec.centre, item, who, reason=("Z00.1", "Lapsen terveystarkastus"))
            )
    for age in range(7, 18):
        day = person.birth + int(age * 365.25) + 200
        if ctx.start <= day < ctx.end:
            rec.encounter_add(
                Visit(
                    day,
                    minute_of_office(rng),
                    rec.centre,
                    "school-health-visit",
                    rec.nurse,
                    reason=("Z00.1", "Kouluterveydenhuollon määräaikaistarkastus"),
                )
            )


def _maternity(ctx: Context) -> None:
    """Maternity clinic visits and the delivery for each child a resident mother bore in the window."""
    rec, rng, person = ctx.record, ctx.rng, ctx.person
    if person.sex != "female":
        return
    for child in person.children:
        if not ctx.start <= child.birth < ctx.end:
            continue
        if not 18 <= age_on(birth=person.birth, day=child.birth) <= 47:
            continue
        for week in (10, 16, 22, 26, 30, 34, 36, 38):
            day = child.birth - (40 - week) * 7
            if ctx.start <= day < ctx.end:
                rec.encounter_add(
                    Visit(
                        day,
                        minute_of_office(rng),
                        rec.centre,
                        "child-health-clinic-visit",
                        rec.nurse,
                        reason=("Z34.9", "Normaalin raskauden seuranta"),
                    )
                )
        caesarean = rng.random() < 0.18
        reason = (
            ("O82.0", "Synnytys elektiivisellä keisarinleikkauksella")
            if caesarean
            else ("O80.0", "Spontaani alatiesynnytys")
        )
        hospital_stay(
            ctx,
            child.birth,
            ward="obstetrics",
            los_mean=4 if caesarean else 2.5,
            reason=reason,
            via_emergency=False,
            condition=None,
        )
