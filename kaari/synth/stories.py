"""A resident's life course over the window: frailty, chronic conditions with onsets, and death.

Conditions are drawn with a Gaussian copula: each condition's marginal prevalence by age band and sex is the
published one, and a latent frailty factor shared by all conditions (and by service use) makes them cluster in the
same people, so multimorbidity accumulates with age as it does in registers. Heavy service use, and so cost
concentration, follows from this clustering; nothing here knows about costs.
"""

from __future__ import annotations

import functools
import math
import random
from dataclasses import dataclass
from statistics import NormalDist

from kaari.synth import knowledge
from kaari.synth.knowledge import ConditionSpec
from kaari.synth.people import Person

DECEDENT_FRAILTY = 1.0


@dataclass
class Story:
    frailty: float
    conditions: list[tuple[ConditionSpec, int]]  # (condition, onset day), onset before the story's end
    death: int | None
    end: int

    def has(self, key: str, *, by: int | None = None) -> bool:
        return any(spec.key == key and (by is None or onset <= by) for spec, onset in self.conditions)


@functools.cache
def _thresholds() -> dict[tuple[str, int, str], float]:
    normal = NormalDist()
    table = {}
    for spec in knowledge.conditions():
        for band in range(len(knowledge.condition_bands())):
            for sex in ("male", "female"):
                p = spec.prevalence(band=band, sex=sex)
                if p > 0:
                    table[(spec.key, band, sex)] = normal.inv_cdf(1 - p)
    return table


@functools.cache
def _mortality() -> list[tuple[int, int, float]]:
    return [(r["from"], r["to"], r["q"]) for r in knowledge.population()["annual_mortality"]]


def _annual_death_probability(age: int) -> float:
    for low, high, q in _mortality():
        if low <= age <= high:
            return q
    return 0.3


def window_mortality(age: int) -> float:
    """Probability that someone who would be `age` on the reference day died during the five-year window."""
    survive = 1.0
    for years_back in range(5):
        survive *= 1.0 - _annual_death_probability(max(0, age - years_back))
    return 1.0 - survive


def story_draw(*, person: Person, rng: random.Random, start: int, today: int) -> Story:
    rho = knowledge.condition_correlation()
    shared, own = math.sqrt(rho), math.sqrt(1 - rho)
    # A drawn slot is either a resident alive on the reference day or one who died in the window (probability of
    # dying within five years at that age). People who die are frailer, so they carry more conditions and more care;
    # the living keep exactly the published prevalences.
    death = None
    if rng.random() < window_mortality(person.age):
        frailty = rng.gauss(DECEDENT_FRAILTY, 0.8)
        death = start + int(rng.random() * (today - start))
    else:
        frailty = rng.gauss(0.0, 1.0)
    band = knowledge.band_of(person.age)
    thresholds = _thresholds()
    conditions: list[tuple[ConditionSpec, int]] = []
    for spec in knowledge.conditions():
        if person.age < spec.min_age:
            continue
        threshold = thresholds.get((spec.key, band, person.sex))
        if threshold is None:
            continue
        if shared * frailty + own * rng.gauss(0.0, 1.0) <= threshold:
            continue
        if spec.key == "intellectual-disability":
            onset = person.birth + int((1 + rng.random() * 3) * 365)
        else:
            years = min(spec.onset_years, person.age - spec.min_age + 1)
            onset = today - 1 - int(rng.random() * years * 365)
        conditions.append((spec, max(onset, person.birth + 1)))

    end = today if death is None else death
    conditions = [(spec, onset) for spec, onset in conditions if onset < end]
    return Story(frailty=frailty, conditions=conditions, death=death, end=end)
