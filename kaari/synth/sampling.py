"""Small random draws on a `random.Random` stream, written for speed and for a fixed sequence of calls."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method; fine for the small means used here (a few dozen at most)."""
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit = math.exp(-lam)
    count = 0
    product = rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def days_in(rng: random.Random, *, rate_per_year: float, start: int, end: int) -> list[int]:
    """Sorted event days of a Poisson process with the given yearly rate on [start, end)."""
    span = end - start
    if span <= 0:
        return []
    return sorted(start + int(rng.random() * span) for _ in range(poisson(rng, rate_per_year * span / 365.0)))


def weighted(rng: random.Random, items: Sequence[T], weights: Sequence[float]) -> T:
    total = sum(weights)
    point = rng.random() * total
    for item, weight in zip(items, weights, strict=True):
        point -= weight
        if point < 0:
            return item
    return items[-1]


def one(rng: random.Random, items: Sequence[T]) -> T:
    return items[int(rng.random() * len(items))]


def minute_of_office(rng: random.Random) -> int:
    """A time between 08:00 and 15:40 on a 20-minute grid."""
    return 480 + 20 * int(rng.random() * 23)


def months(start: int, end: int) -> list[tuple[int, int]]:
    """Calendar-month slices [a, b) covering [start, end)."""
    import datetime as dt

    slices = []
    day = start
    while day < end:
        d = dt.date.fromordinal(day)
        nxt = (dt.date(d.year + 1, 1, 1) if d.month == 12 else dt.date(d.year, d.month + 1, 1)).toordinal()
        slices.append((day, min(nxt, end)))
        day = nxt
    return slices
