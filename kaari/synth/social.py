"""Social welfare over the window: services for older people, child welfare, disability services, substance-use
and mental-health social work, and adult social work with basic social assistance. Who becomes a client follows
from age, conditions, frailty and (for children) the guardians' situation, at the rates of data/services.json."""

from __future__ import annotations

import math
from dataclasses import dataclass

from kaari.synth.casework import Case
from kaari.synth.clock import age_on
from kaari.synth.health import Context
from kaari.synth.medicines import _birthday
from kaari.synth.sampling import days_in, poisson


@dataclass(frozen=True)
class Household:
    """What a child's case depends on in the guardians' lives."""

    substance: bool = False
    mental: bool = False
    single: bool = False


def social_render(ctx: Context, household: Household) -> None:
    _older_people(ctx)
    _child_welfare(ctx, household)
    _disability(ctx)
    _substance_mental(ctx)
    _adult_social_work(ctx)


def _uniform(ctx: Context, low: float, high: float) -> float:
    return low + ctx.rng.random() * (high - low)


def _older_people(ctx: Context) -> None:
    rng, person, cfg = ctx.rng, ctx.person, ctx.services["older_people"]
    turns = _birthday(person.birth, cfg["from_age"])
    if turns >= ctx.end:
        return
    need = cfg["need"]
    noise = rng.gauss(0.0, need["noise"])
    home = housing = None
    intensity = 0.0
    day = max(ctx.start - 3 * 365, turns)
    while day < ctx.end and housing is None:
        age = age_on(birth=person.birth, day=day)
        score = (age - need["age_centre"]) / need["age_scale"] + need["frailty"] * ctx.story.frailty + noise
        score += sum(spec.need for spec, onset in ctx.story.conditions if onset <= day)
        if home is None and score > cfg["home_care_threshold"]:
            home = day + int(rng.random() * 182)
            intensity = score
        if score > cfg["housing_threshold"]:
            housing = max(day + int(rng.random() * 182), (home or day) + 60)
        day += 182
    if home is None and housing is None:
        return
    begin = min(x for x in (home, housing) if x is not None)
    if begin >= ctx.end:
        return
    rec = ctx.record
    home_unit = rec.county.home_care[rec.area]
    home_nurse = home_unit.pick("nurse", rng)
    case = Case(
        ctx,
        unit_task="older-people",
        service_task="older-people",
        need_key="older-people",
        begin=begin,
        end=None,
        extra_members=[("nurse", "Kotihoidon sairaanhoitaja", f"Practitioner/{home_nurse}")],
    )
    decisions = []
    assessment = case.assessment(begin)
    if home is not None and (housing is None or home < housing):
        stop = housing if housing is not None and housing < ctx.end else None
        decisions.append(
            case.decision(
                begin,
                service="home-care",
                display="Säännöllinen kotihoito",
                begin=home,
                end=stop,
                performer=home_unit,
                assessment=assessment,
            )
        )
        visits = cfg["visits_per_day"]
        per_day = min(
            visits["max"],
            max(visits["min"], visits["base"] + visits["slope"] * (intensity - cfg["home_care_threshold"])),
        )
        case.service_months(
            begin=home,
            end=stop or ctx.end,
            unit=home_unit,
            item="home-care-visit",
            per_day=per_day,
            practitioner=home_unit.pick("practical-nurse", rng),
            cls="HH",
        )
    if housing is not None and housing < ctx.end:
        second = case.assessment(housing - 20) if housing - 20 > begin else assessment
        if rng.random() < 0.15 and housing - 150 > begin:
            case.decision(
                housing - 150,
                service="service-housing-24h",
                display="Ympärivuorokautinen palveluasuminen",
                begin=housing - 150,
                end=None,
                performer=rec.county.housing[rec.area],
                assessment=second,
                negative=True,
            )
        institution = rng.random() < cfg["institution_share"]
        item = "elderly-institution-day" if institution else "elderly-24h-housing-day"
        display = "Pitkäaikainen laitoshoito" if institution else "Ympärivuorokautinen palveluasuminen"
        unit = rec.county.housing[rec.area]
        decisions.append(
            case.decision(
                housing - 10,
                service=item.removesuffix("-day"),
                display=display,
                begin=housing,
                end=None,
                performer=unit,
                assessment=second,
            )
        )
        case.service_months(
            begin=housing,
            end=ctx.end,
            unit=unit,
            item=item,
            per_day=1,
            practitioner=unit.pick("nurse", rng),
            cls="NONAC",
        )
    case.plan(begin, decisions=decisions, description="Tavoitteena turvallinen arki ja toimintakyvyn ylläpito.")
    for review in range(begin + 365, ctx.end, 365):
        case.meeting(review)


def _child_welfare(ctx: Context, household: Household) -> None:
    rng, person, cfg = ctx.rng, ctx.person, ctx.services["child_welfare"]
    adult_day = _birthday(person.birth, 18)
    if adult_day <= ctx.start:
        return
    start = None
    for year in range(5):
        begin = max(ctx.start + 365 * year, person.birth + 30)
        stop = min(begin + 365, ctx.end, adult_day)
        if begin >= stop:
            continue
        age = age_on(birth=person.birth, day=begin)
        p = cfg["base"] + cfg["adolescent"] * (age >= 13)
        p += cfg["guardian_substance"] * household.substance + cfg["guardian_mental"] * household.mental
        p += cfg["single_guardian"] * household.single
        if rng.random() < p * math.exp(0.3 * ctx.story.frailty):
            start = begin + int(rng.random() * (stop - begin))
            break
    if start is None:
        return
    end = min(start + int(_uniform(ctx, *cfg["open_care_years"]) * 365), adult_day)
    rec = ctx.record
    placed = leave = None
    if rng.random() < cfg["placement_probability"]:
        placed = start + int(_uniform(ctx, 0.1, 1.0) * 365)
        leave = min(placed + int(_uniform(ctx, *cfg["placement_years"]) * 365), adult_day)
        if placed >= min(ctx.end, adult_day):
            placed = leave = None
    case = Case(
        ctx,
        unit_task="child-welfare",
        service_task="child-welfare",
        need_key="child-welfare",
        begin=start,
        end=max(end, leave or end),
    )
    assessment = case.assessment(start)
    decisions = [
        case.decision(
            start + 14,
            service="child-welfare-open-care",
            display="Avohuollon tukitoimet",
            begin=start + 14,
            end=end,
            performer=case.unit,
            assessment=assessment,
        )
    ]
    if placed is not None and leave is not None:
        institution = rng.random() < cfg["institution_share"]
        unit = rec.county.child_institution if institution else case.unit
        item = "child-welfare-institution-day" if institution else "child-welfare-family-care-day"
        display = "Sijoitus lastensuojelulaitokseen" if institution else "Sijoitus perhehoitoon"
        decisions.append(
            case.decision(
                placed,
                service=item.removesuffix("-day"),
                display=display,
                begin=placed,
                end=leave,
                performer=unit,
                assessment=assessment,
            )
        )
        who = unit.pick("social-counsellor", rng)
        case.service_months(begin=placed, end=leave, unit=unit, item=item, per_day=1, practitioner=who, cls="NONAC")
    family_work_end = placed if placed is not None else end
    counsellor = case.unit.pick("social-counsellor", rng)
    case.service_months(
        begin=start + 14,
        end=family_work_end,
        unit=case.unit,
        item="child-welfare-family-work-visit",
        per_day=cfg["family_work_per_month"] / 30.0,
        practitioner=counsellor,
        cls="FLD",
    )
    case.plan(start + 20, decisions=decisions, description="Lapsen turvallisen kasvun ja kehityksen tukeminen.")
    for day in days_in(rng, rate_per_year=cfg["meetings_per_year"], start=start + 30, end=min(case.end, ctx.end)):
        case.meeting(day)


def _disability(ctx: Context) -> None:
    if not ctx.story.has("intellectual-disability"):
        return
    rng, person, cfg, rec = ctx.rng, ctx.person, ctx.services["disability"], ctx.record
    adult = _birthday(person.birth, 18)
    begin = max(person.birth + 365 * 2, ctx.start - int(rng.random() * 3650))
    case = Case(
        ctx,
        unit_task="disability",
        service_task="intellectual-disability",
        need_key="disability",
        begin=begin,
        end=None,
    )
    assessment = case.assessment(max(begin, ctx.start))
    decisions = []
    if adult < ctx.end:
        choice = rng.random()
        since = max(adult, begin)
        if choice < cfg["housing_share"]:
            unit = rec.county.disability_housing
            decisions.append(
                case.decision(
                    since,
                    service="disability-24h-housing",
                    display="Ympärivuorokautinen asumispalvelu",
                    begin=since,
                    end=None,
                    performer=unit,
                    assessment=assessment,
                )
            )
            case.service_months(
                begin=since,
                end=ctx.end,
                unit=unit,
                item="disability-24h-housing-day",
                per_day=1,
                practitioner=unit.pick("practical-nurse", rng),
                cls="NONAC",
            )
        if choice < cfg["housing_share"] + cfg["day_activity_share"]:
            decisions.append(
                case.decision(
                    since,
                    service="disability-day-activity",
                    display="Päivätoiminta",
                    begin=since,
                    end=None,
                    performer=case.unit,
                    assessment=assessment,
                )
            )
            case.service_months(
                begin=since,
                end=ctx.end,
                unit=case.unit,
                item="disability-day-activity-day",
                per_day=cfg["day_activity_days_per_month"] / 30.0,
                practitioner=case.unit.pick("social-counsellor", rng),
                cls="AMB",
            )
    case.plan(begin, decisions=decisions, description="Osallisuuden ja omannäköisen arjen tukeminen.")
    for day in days_in(rng, rate_per_year=cfg["meetings_per_year"], start=ctx.start, end=ctx.end):
        case.meeting(day)


def _substance_mental(ctx: Context) -> None:
    rng, cfg, rec = ctx.rng, ctx.services["substance_mental"], ctx.record
    for key, probability in cfg["case_probability"].items():
        onset = next((o for spec, o in ctx.story.conditions if spec.key == key), None)
        if onset is None or rng.random() >= probability:
            continue
        begin = max(onset, ctx.start) + int(rng.random() * 365)
        if begin >= ctx.end:
            return
        end = begin + int(_uniform(ctx, *cfg["years"]) * 365)
        substance = key in ("alcohol", "drugs")
        housed = key == "schizophrenia" and rng.random() < cfg["mental_health_housing_share"]
        if housed:
            end = ctx.end
        case = Case(
            ctx,
            unit_task="substance-mental",
            service_task="substance-abuse" if substance else "mental-health",
            need_key="substance-abuse" if substance else "mental-health",
            begin=begin,
            end=end,
        )
        assessment = case.assessment(begin)
        decisions = []
        if substance:
            decisions.append(
                case.decision(
                    begin + 7,
                    service="substance-outpatient",
                    display="Päihdepalvelujen avohoito",
                    begin=begin + 7,
                    end=end,
                    performer=case.unit,
                    assessment=assessment,
                )
            )
            case.service_months(
                begin=begin + 7,
                end=end,
                unit=case.unit,
                item="substance-outpatient-visit",
                per_day=cfg["outpatient_visits_per_month"] / 30.0,
                practitioner=case.unit.pick("social-counsellor", rng),
                cls="AMB",
            )
        elif housed:
            unit = rec.county.mental_health_housing
            decisions.append(
                case.decision(
                    begin + 30,
                    service="mental-health-24h-housing",
                    display="Mielenterveyskuntoutujien ympärivuorokautinen palveluasuminen",
                    begin=begin + 30,
                    end=None,
                    performer=unit,
                    assessment=assessment,
                )
            )
            case.service_months(
                begin=begin + 30,
                end=ctx.end,
                unit=unit,
                item="mental-health-24h-housing-day",
                per_day=1,
                practitioner=unit.pick("practical-nurse", rng),
                cls="NONAC",
            )
        case.plan(begin + 7, decisions=decisions, description="Kuntoutumisen ja arjessa selviytymisen tukeminen.")
        for day in days_in(rng, rate_per_year=cfg["meetings_per_year"], start=begin + 14, end=min(case.end, ctx.end)):
            case.meeting(day)
        return


def _adult_social_work(ctx: Context) -> None:
    rng, person, cfg = ctx.rng, ctx.person, ctx.services["adult_social_work"]
    substance = ctx.story.has("alcohol") or ctx.story.has("drugs")
    mental = ctx.story.has("schizophrenia") or ctx.story.has("depression")
    for year in range(5):
        begin = ctx.start + 365 * year
        if begin >= ctx.end or not 18 <= age_on(birth=person.birth, day=begin) <= 64:
            continue
        p = cfg["base"] + cfg["substance"] * substance + cfg["mental"] * mental
        if rng.random() >= p:
            continue
        start = begin + int(rng.random() * 365)
        if start >= ctx.end:
            return
        end = start + int(_uniform(ctx, *cfg["months"]) * 30)
        assistance = rng.random() < 0.6
        case = Case(
            ctx,
            unit_task="adult-social-work",
            service_task="social-assistance" if assistance else "adult-social-work",
            need_key="adult-social-work",
            begin=start,
            end=end,
        )
        assessment = case.assessment(start)
        display = "Täydentävä toimeentulotuki" if assistance else "Sosiaaliohjaus"
        negative = assistance and rng.random() < 0.15
        decision = case.decision(
            start + 7,
            service="social-assistance" if assistance else "social-guidance",
            display=display,
            begin=start + 7,
            end=end,
            performer=case.unit,
            assessment=assessment,
            negative=negative,
        )
        case.plan(start + 7, decisions=[decision], description="Toimeentulon ja elämänhallinnan vahvistaminen.")
        for _ in range(poisson(rng, cfg["meetings_per_year"] * (end - start) / 365.0)):
            case.meeting(start + 10 + int(rng.random() * max(1, end - start - 10)))
        return
