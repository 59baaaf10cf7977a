"""Figures computed back from generated resources: cost concentration, heavy users' service mix, prevalences.

Everything here reads only FHIR resources (ChargeItem.priceOverride, ChargeItem.code, Condition.code,
Patient.birthDate/gender/deceasedDateTime, ...), never the generator's internals, so the same functions can
later run on data read from the store.

The cost year is the 12 months before the reference day; the population is everyone alive at its start, as in
Leskelä et al. 2013 (Oulu, one year of costs: the costliest 10 % of residents used 81 % of social and health care
costs and about four service types, the rest about one).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from kaari.synth import fhir, knowledge
from kaari.synth.clock import age_on

LORENZ_TOPS = (0.01, 0.05, 0.10, 0.20, 0.50)
# Broad sectors as Finnish statistics group services: oral health care is part of primary health care, and
# specialised care covers its outpatient, inpatient and emergency care.
SECTORS = {
    "primary-care": "primary-health-care",
    "dental": "primary-health-care",
    "specialist-outpatient": "specialised-care",
    "inpatient": "specialised-care",
    "emergency": "specialised-care",
    "home-care": "home-care",
    "elderly-housing": "elderly-housing",
    "child-welfare": "child-welfare",
    "disability-services": "disability-services",
    "substance-mental-social": "substance-mental-social",
    "adult-social-work": "adult-social-work",
}
PUBLISHED_TOP10 = 0.81


@dataclass
class RegionFigures:
    residents: int
    resources: int
    resources_by_type: Counter[str]
    cost_population: int
    total_cost: float
    lorenz: dict[float, float]
    heavy_types: float
    other_types: float
    heavy_grouped: float
    other_grouped: float
    heavy_sectors: float
    other_sectors: float
    coverage: dict[str, tuple[int, int]]
    cost_by_service: dict[str, float]
    prevalence: list[dict[str, Any]]
    turvakielto: int
    deceased: int
    minors_without_guardian: int
    pim_75: tuple[int, int]
    warfarin_nsaid: int
    triple_whammy: int
    hba1c_early_repeats: tuple[int, int]
    extra: dict[str, Any] = field(default_factory=dict)


def ndjson_read(directory: Path) -> Iterator[dict[str, Any]]:
    for path in sorted(directory.glob("*.ndjson")):
        with path.open("rb") as handle:
            for line in handle:
                if line.strip():
                    yield orjson.loads(line)


def _day(text: str) -> int:
    return dt.date.fromisoformat(text[:10]).toordinal()


def _subject(resource: dict[str, Any], key: str = "subject") -> str:
    return str(resource[key]["reference"]).removeprefix("Patient/")


def _condition_keys() -> dict[str, str]:
    table = {}
    for spec in knowledge.conditions():
        table[spec.icd10] = spec.key
        for rows in spec.sites.values():
            for row in rows:
                table[str(row[0])] = spec.key
    return table


def region_analyse(resources: Iterable[dict[str, Any]], *, today: dt.date) -> RegionFigures:
    end = today.toordinal()
    year_start = end - 365
    by_type: Counter[str] = Counter()
    patients: dict[str, tuple[int, str, int | None, bool]] = {}
    minors_with_guardian: set[str] = set()
    costs: defaultdict[str, float] = defaultdict(float)
    types: defaultdict[str, set[str]] = defaultdict(set)
    items: defaultdict[str, set[str]] = defaultdict(set)
    by_service: defaultdict[str, float] = defaultdict(float)
    conditions: defaultdict[str, set[str]] = defaultdict(set)
    keys = _condition_keys()
    meds: defaultdict[str, list[tuple[str, int, int]]] = defaultdict(list)
    hba1c: defaultdict[str, list[int]] = defaultdict(list)
    pim = set(knowledge.medications()["potentially_inappropriate_for_75"]["atc"])
    for res in resources:
        kind = res["resourceType"]
        by_type[kind] += 1
        if kind == "Patient":
            deceased = res.get("deceasedDateTime")
            turva = any(s.get("code") == "TURVAKIELTO" for s in res["meta"].get("security", []))
            patients[res["id"]] = (_day(res["birthDate"]), res["gender"], _day(deceased) if deceased else None, turva)
        elif kind == "RelatedPerson":
            minors_with_guardian.add(_subject(res, "patient"))
        elif kind == "ChargeItem":
            day = _day(res["occurrencePeriod"]["start"])
            if year_start <= day < end:
                subject = _subject(res)
                amount = float(res["priceOverride"]["value"])
                service = next(c["code"] for c in res["code"]["coding"] if c["system"] == fhir.SERVICE_TYPE_SYSTEM)
                costs[subject] += amount
                types[subject].add(service)
                items[subject].add(
                    next(c["code"] for c in res["code"]["coding"] if c["system"] == fhir.UNIT_COST_SYSTEM)
                )
                by_service[service] += amount
        elif kind == "Condition":
            key = keys.get(res["code"]["coding"][0]["code"])
            if key:
                conditions[_subject(res)].add(key)
        elif kind == "MedicationRequest":
            period = res["dispenseRequest"]["validityPeriod"]
            begin = _day(period["start"])
            supply = res["dispenseRequest"].get("expectedSupplyDuration")
            stop = begin + int(supply["value"]) if supply else _day(period["end"])
            if res["status"] == "stopped":
                stop = min(stop, end)
            meds[_subject(res)].append((res["medicationCodeableConcept"]["coding"][0]["code"], begin, stop))
        elif kind == "Observation" and res["code"]["coding"][0]["code"] == "59261-8":
            hba1c[_subject(res)].append(_day(res["effectiveDateTime"]))

    population = [pid for pid, (_, _, death, _) in patients.items() if death is None or death >= year_start]
    ranked = sorted((costs.get(pid, 0.0) for pid in population), reverse=True)
    total = sum(ranked) or 1.0
    lorenz = {top: sum(ranked[: max(1, round(top * len(ranked)))]) / total for top in LORENZ_TOPS}
    order = sorted(population, key=lambda pid: (-costs.get(pid, 0.0), pid))
    heavy_count = max(1, round(0.1 * len(order)))
    heavy, other = order[:heavy_count], order[heavy_count:]
    heavy_types = sum(len(types[p]) for p in heavy) / len(heavy)
    other_types = sum(len(types[p]) for p in other) / max(1, len(other))
    grouped = {t: ("primary-care" if t == "dental" else t) for t in SECTORS}
    heavy_grouped = sum(len({grouped[t] for t in types[p]}) for p in heavy) / len(heavy)
    other_grouped = sum(len({grouped[t] for t in types[p]}) for p in other) / max(1, len(other))
    heavy_sectors = sum(len({SECTORS[t] for t in types[p]}) for p in heavy) / len(heavy)
    other_sectors = sum(len({SECTORS[t] for t in types[p]}) for p in other) / max(1, len(other))

    living = {pid: v for pid, v in patients.items() if v[2] is None}
    prevalence = _prevalence_table(living, conditions, end)
    minors = [pid for pid, (birth, _, death, _) in living.items() if age_on(birth=birth, day=end) < 18]
    elderly = [pid for pid in population if age_on(birth=patients[pid][0], day=year_start) >= 75]
    children = [pid for pid in population if age_on(birth=patients[pid][0], day=year_start) < 18]

    def share(group: list[str], wanted: tuple[str, ...]) -> tuple[int, int]:
        return sum(1 for pid in group if items[pid] & set(wanted)), len(group)

    coverage = {
        "regular home care, 75+": share(elderly, ("home-care-visit",)),
        "24-hour care, 75+": share(elderly, ("elderly-24h-housing-day", "elderly-institution-day")),
        "child welfare client, 0-17": share(
            children, tuple(k for k in knowledge.unit_costs() if "child" in k and "clinic" not in k)
        ),
        "placed outside home, 0-17": share(
            children, ("child-welfare-institution-day", "child-welfare-family-care-day")
        ),
        "inpatient stay, all": share(
            population, ("specialist-inpatient-day", "psychiatric-inpatient-day", "pc-ward-day")
        ),
        "emergency visit, all": share(population, ("emergency-visit",)),
        "primary care physician, all": share(population, ("pc-physician-visit",)),
    }
    pim_users = 0
    old = [pid for pid, (birth, _, _, _) in living.items() if age_on(birth=birth, day=end) >= 75]
    for pid in old:
        if any(atc in pim and stop > year_start and begin < end for atc, begin, stop in meds[pid]):
            pim_users += 1
    warfarin_nsaid = triple = 0
    for prescriptions in meds.values():
        warfarin_nsaid += _overlap(prescriptions, ("B01AA03",), ("M01A",))
        triple += _triple(prescriptions)
    early = total_repeats = 0
    for days in hba1c.values():
        days.sort()
        for a, b in zip(days, days[1:], strict=False):
            total_repeats += 1
            early += b - a < 90
    return RegionFigures(
        residents=len(patients),
        resources=sum(by_type.values()),
        resources_by_type=by_type,
        cost_population=len(population),
        total_cost=sum(ranked),
        lorenz=lorenz,
        heavy_types=heavy_types,
        other_types=other_types,
        heavy_grouped=heavy_grouped,
        other_grouped=other_grouped,
        heavy_sectors=heavy_sectors,
        other_sectors=other_sectors,
        coverage=coverage,
        cost_by_service=dict(sorted(by_service.items(), key=lambda kv: -kv[1])),
        prevalence=prevalence,
        turvakielto=sum(1 for v in patients.values() if v[3]),
        deceased=sum(1 for v in patients.values() if v[2] is not None),
        minors_without_guardian=sum(1 for pid in minors if pid not in minors_with_guardian),
        pim_75=(pim_users, len(old)),
        warfarin_nsaid=warfarin_nsaid,
        triple_whammy=triple,
        hba1c_early_repeats=(early, total_repeats),
    )


def _active(items: list[tuple[str, int, int]], prefixes: tuple[str, ...]) -> list[tuple[int, int]]:
    return [(b, e) for atc, b, e in items if atc.startswith(prefixes)]


def _overlap(items: list[tuple[str, int, int]], first: tuple[str, ...], second: tuple[str, ...]) -> int:
    """1 if some period on a `first` drug overlaps some period on a `second` drug."""
    return int(any(a < d and c < b for a, b in _active(items, first) for c, d in _active(items, second)))


def _triple(items: list[tuple[str, int, int]]) -> int:
    for a, b in _active(items, ("M01A",)):
        ras = any(c < b and a < d for c, d in _active(items, ("C09",)))
        diuretic = any(c < b and a < d for c, d in _active(items, ("C03",)))
        if ras and diuretic:
            return 1
    return 0


def _prevalence_table(
    living: dict[str, tuple[int, str, int | None, bool]], conditions: dict[str, set[str]], end: int
) -> list[dict[str, Any]]:
    bands = knowledge.condition_bands()
    people: Counter[tuple[int, str]] = Counter()
    cases: Counter[tuple[str, int, str]] = Counter()
    for pid, (birth, sex, _, _) in living.items():
        band = knowledge.band_of(age_on(birth=birth, day=end))
        people[(band, sex)] += 1
        for key in conditions.get(pid, ()):
            cases[(key, band, sex)] += 1
    rows = []
    for spec in knowledge.conditions():
        for band, (low, high) in enumerate(bands):
            for sex in ("male", "female"):
                published = spec.prevalence(band=band, sex=sex)
                if published == 0:
                    continue
                n = people[(band, sex)]
                rows.append(
                    {
                        "condition": spec.key,
                        "icd10": spec.icd10,
                        "band": f"{low}-{high}" if high < 120 else f"{low}+",
                        "sex": sex,
                        "people": n,
                        "generated": cases[(spec.key, band, sex)] / n if n else 0.0,
                        "published": published,
                        "source": spec.source,
                        "verified": spec.verified,
                    }
                )
    return rows
