"""`region_generate`: the whole synthetic county as a stream of FHIR R4 resources.

Shared resources come first (organisations, professionals and their roles), then one household at a time, each
resident's Patient before their records. References are `Type/id` with deterministic ids, so the stream can be
loaded in any order. Memory stays flat: only one batch of residents is held at once.

Determinism: every draw comes from `random.Random` streams seeded by (seed, purpose) strings; no wall clock, no set
or dict iteration over unordered data. "Today" is a parameter (default 2026-11-01) so that the same seed gives the
same bytes on any day.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator

from kaari.synth import fhir
from kaari.synth.appointments import appointments_render
from kaari.synth.clock import DEFAULT_TODAY, iso_date
from kaari.synth.fhir import Resource
from kaari.synth.general import general_render
from kaari.synth.health import Context, chronic_render, conditions_render
from kaari.synth.labs import LabState
from kaari.synth.medicines import immunizations_render, medicines_render
from kaari.synth.organizations import COUNTY_ID, County, county_build
from kaari.synth.people import Demography, Guardian, IdentityRegistry, Person, households_form
from kaari.synth.record import Record
from kaari.synth.social import Household, social_render
from kaari.synth.stories import Story, story_draw

BATCH = 500
HISTORY_YEARS = 5


def window_start(today: dt.date) -> int:
    try:
        return today.replace(year=today.year - HISTORY_YEARS).toordinal()
    except ValueError:
        return today.replace(year=today.year - HISTORY_YEARS, day=28).toordinal()


def region_generate(
    *, residents: int, seed: int, today: dt.date = DEFAULT_TODAY, progress: Callable[[int], object] | None = None
) -> Iterator[Resource]:
    """Yield every resource of a region of `residents` people. `progress(n)` is called after each household with
    the number of residents it had."""
    if residents < 1:
        raise ValueError("a region needs at least one resident")
    county = county_build(residents=residents, seed=seed)
    yield from county.resources
    demography = Demography(today=today)
    identities = IdentityRegistry()
    start, end = window_start(today), today.toordinal()
    batch_rng = random.Random(f"{seed}:population")
    number, household_number, remaining = 1, 1, residents
    while remaining > 0:
        size = min(BATCH, remaining)
        drawn = [demography.draw(batch_rng) for _ in range(size)]
        households = households_form(
            people=drawn,
            first_number=number,
            first_household=household_number,
            demography=demography,
            identities=identities,
            rng=batch_rng,
        )
        for members in households:
            yield from household_render(members=members, county=county, seed=seed, start=start, today=end)
            if progress is not None:
                progress(len(members))
        number += size
        household_number += len(households)
        remaining -= size


def household_render(*, members: list[Person], county: County, seed: int, start: int, today: int) -> Iterator[Resource]:
    streams = {p.number: random.Random(f"{seed}:resident:{p.number}") for p in members}
    stories = {p.ident: story_draw(person=p, rng=streams[p.number], start=start, today=today) for p in members}
    for person in members:
        rng = streams[person.number]
        story = stories[person.ident]
        record = Record(person=person, county=county, rng=rng, start=start, today=today)
        record.end = story.end
        record.out.append(patient_resource(person=person, story=story, record=record))
        for guardian in person.guardians:
            record.out.append(related_person_resource(child=person, guardian=guardian, stories=stories))
        ctx = Context(record=record, story=story, person=person, rng=rng, start=start)
        conditions_render(ctx)
        warfarin = medicines_render(ctx)
        labs = LabState(
            rng=rng, sex=person.sex, conditions={spec.key for spec, _ in story.conditions}, warfarin=bool(warfarin)
        )
        chronic_render(ctx, labs, warfarin)
        general_render(ctx)
        immunizations_render(ctx)
        social_render(ctx, _household_of(person, stories))
        appointments_render(ctx)
        yield from record.out


def _household_of(person: Person, stories: dict[str, Story]) -> Household:
    guardian_stories = [stories[g.patient] for g in person.guardians if g.patient in stories]
    return Household(
        substance=any(s.has("alcohol") or s.has("drugs") for s in guardian_stories),
        mental=any(s.has("depression") or s.has("schizophrenia") for s in guardian_stories),
        single=len(person.guardians) == 1,
    )


def patient_resource(*, person: Person, story: Story, record: Record) -> Resource:
    muni = person.municipality
    city = muni.sv if person.language == "sv" else muni.fi
    patient: Resource = {
        "resourceType": "Patient",
        "id": person.ident,
        "meta": fhir.meta_identity(keeper=COUNTY_ID, turvakielto=person.turvakielto),
        "extension": [
            {
                "url": fhir.MUNICIPALITY_URL,
                "valueCoding": {"system": fhir.MUNICIPALITY_SYSTEM, "code": muni.code, "display": muni.fi},
            }
        ],
        "identifier": [_hetu_identifier(person.hetu)],
        "active": True,
        "name": [
            {
                "use": "official",
                "family": person.family,
                "given": list(person.given),
                "text": f"{' '.join(person.given)} {person.family}",
            }
        ],
        "gender": person.sex,
        "birthDate": iso_date(person.birth),
        "address": [
            {"use": "home", "line": [person.street], "postalCode": person.postal, "city": city, "country": "FI"}
        ],
        "communication": [
            {
                "language": fhir.concept(
                    "urn:ietf:bcp:47", person.language, "suomi" if person.language == "fi" else "svenska"
                ),
                "preferred": True,
            }
        ],
        "generalPractitioner": [
            {"reference": f"Organization/{record.centre.ident}"},
            {"reference": f"Practitioner/{record.gp}"},
        ],
        "managingOrganization": {"reference": f"Organization/{COUNTY_ID}"},
    }
    if story.death is not None:
        patient["deceasedDateTime"] = iso_date(story.death)
    if person.wards:
        patient["link"] = [
            {"other": {"reference": f"RelatedPerson/{ward}"}, "type": "seealso"} for ward in person.wards
        ]
    return patient


def related_person_resource(*, child: Person, guardian: Guardian, stories: dict[str, Story]) -> Resource:
    parent = "MTH" if guardian.sex == "female" else "FTH"
    related: Resource = {
        "resourceType": "RelatedPerson",
        "id": guardian.related_id,
        "meta": fhir.meta_identity(keeper=COUNTY_ID, turvakielto=child.turvakielto),
        "identifier": [_hetu_identifier(guardian.hetu)],
        "active": True,
        "patient": {"reference": f"Patient/{child.ident}"},
        "relationship": [
            fhir.concept(fhir.ROLE_CODE, "GUARD", "guardian"),
            fhir.concept(fhir.ROLE_CODE, parent, "mother" if parent == "MTH" else "father"),
        ],
        "name": [{"use": "official", "family": guardian.family, "given": list(guardian.given)}],
        "gender": guardian.sex,
        "birthDate": iso_date(guardian.birth),
        "period": {"start": iso_date(child.birth)},
    }
    story = stories.get(guardian.patient or "")
    if story is not None and story.death is not None:
        related["active"] = False
        related["period"]["end"] = iso_date(story.death)
    return related


def _hetu_identifier(hetu: str) -> dict[str, object]:
    return {
        "use": "official",
        "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "NNFIN"}]},
        "system": fhir.HETU_SYSTEM,
        "value": hetu,
    }
