"""The cited data files under `data/`, loaded once into typed objects the generator reads."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"

# A medicine as (ATC, Finnish name, dosage text, weight).
Drug = tuple[str, str, str, int]


def data_load(name: str) -> dict[str, Any]:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)
    return loaded


@dataclass(frozen=True)
class MedSlot:
    probability: float
    choose: tuple[Drug, ...]


@dataclass(frozen=True)
class LabSchedule:
    test: str
    every: int
    early: float


@dataclass(frozen=True)
class ConditionSpec:
    key: str
    icd10: str
    display: str
    min_age: int
    male: tuple[float, ...]
    female: tuple[float, ...]
    source: str
    verified: bool
    onset_years: int
    pc_physician: float
    pc_nurse: float
    specialist: float
    er: float
    need: float
    labs: tuple[LabSchedule, ...]
    meds: tuple[MedSlot, ...]
    vitals_every: int | None = None
    nsaid: dict[str, Any] | None = None
    sites: dict[str, list[list[Any]]] = field(default_factory=dict)

    def prevalence(self, *, band: int, sex: str) -> float:
        return (self.male if sex == "male" else self.female)[band] / 100.0


@dataclass(frozen=True)
class Municipality:
    code: str
    fi: str
    sv: str
    population: int
    swedish: float
    area: str
    health_centres: tuple[tuple[str, str], ...]
    postal: tuple[str, ...]


@dataclass(frozen=True)
class UnitCost:
    key: str
    service_type: str
    fi: str
    unit: str
    eur: float
    basis: str


def _drugs(rows: list[list[Any]]) -> tuple[Drug, ...]:
    return tuple((str(r[0]), str(r[1]), str(r[2]), int(r[3])) for r in rows)


def _slots(rows: list[dict[str, Any]]) -> tuple[MedSlot, ...]:
    return tuple(MedSlot(probability=float(s["p"]), choose=_drugs(s["choose"])) for s in rows)


@functools.cache
def conditions() -> tuple[ConditionSpec, ...]:
    raw = data_load("conditions.json")
    specs = []
    for c in raw["conditions"]:
        specs.append(
            ConditionSpec(
                key=c["key"],
                icd10=c["icd10"],
                display=c["display"],
                min_age=c["min_age"],
                male=tuple(c["male"]),
                female=tuple(c["female"]),
                source=c["source"],
                verified=c["verified"],
                onset_years=c["onset_years"],
                pc_physician=c["pc_physician"],
                pc_nurse=c["pc_nurse"],
                specialist=c["specialist"],
                er=c["er"],
                need=c["need"],
                labs=tuple(LabSchedule(test=x["test"], every=x["every"], early=x.get("early", 0.0)) for x in c["labs"]),
                meds=_slots(c["meds"]),
                vitals_every=c.get("vitals", {}).get("every"),
                nsaid=c.get("nsaid_courses"),
                sites=c.get("sites", {}),
            )
        )
    return tuple(specs)


@functools.cache
def condition_bands() -> tuple[tuple[int, int], ...]:
    return tuple((int(a), int(b)) for a, b in data_load("conditions.json")["age_bands"])


def band_of(age: int) -> int:
    for index, (low, high) in enumerate(condition_bands()):
        if low <= age <= high:
            return index
    return len(condition_bands()) - 1


@functools.cache
def condition_correlation() -> float:
    return float(data_load("conditions.json")["correlation"]["rho"])


@functools.cache
def municipalities() -> tuple[Municipality, ...]:
    rows = data_load("population.json")["municipalities"]
    return tuple(
        Municipality(
            code=m["code"],
            fi=m["fi"],
            sv=m["sv"],
            population=m["population"],
            swedish=m["swedish"],
            area=m["area"],
            health_centres=tuple((str(h[0]), str(h[1])) for h in m["health_centres"]),
            postal=tuple(m["postal"]),
        )
        for m in rows
    )


@functools.cache
def population() -> dict[str, Any]:
    return data_load("population.json")


@functools.cache
def names() -> dict[str, Any]:
    return data_load("names.json")


@functools.cache
def labs() -> dict[str, Any]:
    return data_load("labs.json")


@functools.cache
def medications() -> dict[str, Any]:
    return data_load("medications.json")


@functools.cache
def notes() -> dict[str, Any]:
    return data_load("notes.json")


@functools.cache
def social() -> dict[str, Any]:
    return data_load("social.json")


@functools.cache
def unit_costs() -> dict[str, UnitCost]:
    raw = data_load("unit_costs.json")
    return {
        key: UnitCost(
            key=key, service_type=v["service_type"], fi=v["fi"], unit=v["unit"], eur=float(v["eur"]), basis=v["basis"]
        )
        for key, v in raw["items"].items()
    }


@functools.cache
def service_types() -> dict[str, str]:
    types: dict[str, str] = data_load("unit_costs.json")["service_types"]
    return types


@functools.cache
def services() -> dict[str, Any]:
    return data_load("services.json")
