"""Residents: age and sex as in Uusimaa, households with guardians, names, addresses and identity codes."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from dataclasses import dataclass, field

from kaari.lib.hetu import SIGNS_BY_CENTURY, SYNTHETIC_INDIVIDUAL_NUMBERS, hetu_format
from kaari.synth import knowledge
from kaari.synth.knowledge import Municipality

# Share of identity codes issued with the century signs introduced in 2023 (Y X W V U, B-F). In reality only codes
# issued since 2023 use them; a synthetic region shows a few so that every consumer handles them.
NEW_SIGN_SHARE = 0.08
# Turvakielto covers the whole household; Digi- ja väestötietovirasto reports roughly 0.5 % of residents with one.
TURVAKIELTO_SHARE = 0.005
TWO_GUARDIAN_SHARE = 0.76  # Statistics Finland, Perheet 2023: about three in four families with children.


class NamePicker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._names = knowledge.names()

    def _one(self, items: list[str]) -> str:
        return items[int(self.rng.random() * len(items))]

    def first(self, *, sex: str, birth_year: int, language: str) -> str:
        cohort = "before_1960" if birth_year < 1960 else "1960_1989" if birth_year < 1990 else "from_1990"
        return self._one(self._names["first_names"][language][sex][cohort])

    def middle(self, *, sex: str, language: str) -> str:
        return self._one(self._names["first_names"][language][f"middle_{sex}"])

    def surname(self, *, language: str) -> str:
        return self._one(self._names["surnames"][language])

    def street(self, *, language: str) -> str:
        return self._one(self._names["streets"][language])

    def adult(self, *, sex: str, birth_year: int, language: str) -> tuple[str, str]:
        return self.first(sex=sex, birth_year=birth_year, language=language), self.surname(language=language)


@dataclass
class Guardian:
    """A guardian of a minor: a resident (`patient` set) or someone living outside the region."""

    related_id: str
    sex: str
    given: list[str]
    family: str
    birth: int
    hetu: str
    patient: str | None


@dataclass
class Person:
    number: int
    sex: str
    birth: int
    age: int
    municipality: Municipality
    language: str
    given: list[str]
    family: str
    hetu: str
    street: str
    postal: str
    turvakielto: bool
    household: int
    guardians: list[Guardian] = field(default_factory=list)
    wards: list[str] = field(default_factory=list)  # RelatedPerson ids that represent this person as a guardian
    children: list[Person] = field(default_factory=list)

    @property
    def ident(self) -> str:
        return f"pat-{self.number:07d}"


class IdentityRegistry:
    """Hands out unique synthetic identity codes (individual numbers 900-999 only)."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def issue(self, *, birth: int, sex: str, rng: random.Random) -> str:
        born = dt.date.fromordinal(birth)
        signs = SIGNS_BY_CENTURY[born.year - born.year % 100]
        parity = 1 if sex == "male" else 0
        numbers = [n for n in SYNTHETIC_INDIVIDUAL_NUMBERS if n % 2 == parity]
        for attempt in itertools.count():
            new_sign = len(signs) > 1 and (rng.random() < NEW_SIGN_SHARE or attempt > 20)
            sign = signs[1 + int(rng.random() * (len(signs) - 1))] if new_sign else signs[0]
            code = hetu_format(
                birth_date=born, individual_number=numbers[int(rng.random() * len(numbers))], century_sign=sign
            )
            if code not in self._used:
                self._used.add(code)
                return code
        raise AssertionError("unreachable")


class Demography:
    """Draws ages, sexes and home municipalities with the published weights."""

    def __init__(self, *, today: dt.date) -> None:
        from kaari.synth.stories import window_mortality

        raw = knowledge.population()["age_bands"]
        self.bands = [(b["from"], b["to"], b["male"]) for b in raw]
        # Slots are drawn for the living plus those who died in the window, so each band is inflated by its
        # five-year mortality; after the deaths the living match the published age structure.
        self.cumulative = list(
            itertools.accumulate(b["share"] / (1 - window_mortality((b["from"] + b["to"]) // 2)) for b in raw)
        )
        self.munis = knowledge.municipalities()
        self.muni_cumulative = list(itertools.accumulate(m.population for m in self.munis))
        self.today = today

    def draw(self, rng: random.Random) -> tuple[int, str, int]:
        """(age, sex, birth ordinal) for one resident, alive and living in the region on `today`."""
        band = bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])
        low, high, male = self.bands[min(band, len(self.bands) - 1)]
        age = low + int(rng.random() * (high - low + 1))
        sex = "male" if rng.random() < male else "female"
        last_birthday = self.today - dt.timedelta(days=1 + int(rng.random() * 365))
        try:
            born = last_birthday.replace(year=last_birthday.year - age)
        except ValueError:  # 29 February in a common year
            born = last_birthday.replace(year=last_birthday.year - age, day=28)
        return age, sex, born.toordinal()

    def municipality(self, rng: random.Random) -> Municipality:
        index = bisect.bisect_right(self.muni_cumulative, rng.random() * self.muni_cumulative[-1])
        return self.munis[min(index, len(self.munis) - 1)]


def households_form(
    *,
    people: list[tuple[int, str, int]],
    first_number: int,
    first_household: int,
    demography: Demography,
    identities: IdentityRegistry,
    rng: random.Random,
) -> list[list[Person]]:
    """Group a batch of drawn residents into households: minors with one or two resident guardians when an adult of
    a plausible age exists in the batch, otherwise with guardians living outside the region; adults alone or as
    couples. Every resident of the batch ends up in exactly one household."""
    names = NamePicker(rng)
    order = sorted(range(len(people)), key=lambda i: (people[i][0], i))
    minors = [i for i in order if people[i][0] < 18]
    adults = [i for i in order if people[i][0] >= 18]
    taken: set[int] = set()
    groups: list[tuple[list[int], list[int]]] = []  # (guardians, children)
    cursor = 0
    while cursor < len(minors):
        size = 1 + (rng.random() < 0.55) + (rng.random() < 0.2)
        children = [minors[cursor]]
        while len(children) < size and cursor + len(children) < len(minors):
            nxt = minors[cursor + len(children)]
            if people[nxt][0] - people[children[0]][0] > 8:
                break
            children.append(nxt)
        cursor += len(children)
        youngest, oldest = people[children[0]][0], people[children[-1]][0]
        candidates = [a for a in adults if a not in taken and oldest + 19 <= people[a][0] <= youngest + 47]
        guardians: list[int] = []
        if candidates:
            first = candidates[int(rng.random() * len(candidates))]
            guardians.append(first)
            taken.add(first)
            if rng.random() < TWO_GUARDIAN_SHARE:
                partners = [
                    a
                    for a in candidates
                    if a not in taken and people[a][1] != people[first][1] and abs(people[a][0] - people[first][0]) <= 8
                ]
                if partners:
                    second = partners[int(rng.random() * len(partners))]
                    guardians.append(second)
                    taken.add(second)
        groups.append((guardians, children))
    free = [a for a in adults if a not in taken]
    rng.shuffle(free)
    while free:
        head = free.pop()
        couple = [head]
        if people[head][0] >= 20 and rng.random() < 0.45:
            for j in range(len(free) - 1, max(-1, len(free) - 30), -1):
                other = free[j]
                if people[other][1] != people[head][1] and abs(people[other][0] - people[head][0]) <= 7:
                    couple.append(free.pop(j))
                    break
        groups.append((couple, []))

    households: list[list[Person]] = []
    number = first_number
    for offset, (grown, kids) in enumerate(groups):
        muni = demography.municipality(rng)
        language = "sv" if rng.random() < muni.swedish else "fi"
        family = names.surname(language=language)
        street = f"{names.street(language=language)} {1 + int(rng.random() * 60)}"
        if rng.random() < 0.6:
            street += f" {'ABCD'[int(rng.random() * 4)]} {1 + int(rng.random() * 40)}"
        postal = muni.postal[int(rng.random() * len(muni.postal))]
        turvakielto = rng.random() < TURVAKIELTO_SHARE
        members: list[Person] = []
        for index in grown + kids:
            age, sex, birth = people[index]
            given = [names.first(sex=sex, birth_year=dt.date.fromordinal(birth).year, language=language)]
            if rng.random() < 0.85:
                middle = names.middle(sex=sex, language=language)
                if middle != given[0]:
                    given.append(middle)
            members.append(
                Person(
                    number=number,
                    sex=sex,
                    birth=birth,
                    age=age,
                    municipality=muni,
                    language=language,
                    given=given,
                    family=family
                    if index in kids or index == grown[0] or rng.random() < 0.6
                    else names.surname(language=language),
                    hetu=identities.issue(birth=birth, sex=sex, rng=rng),
                    street=street,
                    postal=postal,
                    turvakielto=turvakielto,
                    household=first_household + offset,
                )
            )
            number += 1
        adults_here = members[: len(grown)] if kids else []
        for child in members[len(grown) :]:
            guardians_for(child=child, adults=adults_here, names=names, identities=identities, rng=rng)
        for adult in adults_here:
            adult.children = members[len(grown) :]
        households.append(members)
    return households


def guardians_for(
    *, child: Person, adults: list[Person], names: NamePicker, identities: IdentityRegistry, rng: random.Random
) -> None:
    """Record the guardians of a minor as in the population register; at least one always exists."""
    if adults:
        for k, adult in enumerate(adults, start=1):
            related_id = f"rp-{child.number:07d}-{k}"
            child.guardians.append(
                Guardian(related_id, adult.sex, adult.given, adult.family, adult.birth, adult.hetu, adult.ident)
            )
            adult.wards.append(related_id)
        return
    sex = "female" if rng.random() < 0.6 else "male"
    birth = child.birth - int((22 + rng.random() * 18) * 365.2425)
    year = dt.date.fromordinal(birth).year
    child.guardians.append(
        Guardian(
            f"rp-{child.number:07d}-1",
            sex,
            [names.first(sex=sex, birth_year=year, language=child.language)],
            child.family,
            birth,
            identities.issue(birth=birth, sex=sex, rng=rng),
            None,
        )
    )
