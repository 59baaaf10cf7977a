"""Laboratory results and blood pressures: LOINC-coded Observations with UCUM units and Finnish reference ranges.

Each person has a personal level per test (drawn once from the normal or the disease distribution); each
measurement varies around it, so a diabetic's HbA1c series looks like one person's series.
"""

from __future__ import annotations

import random
from typing import Any

from kaari.synth import fhir, knowledge
from kaari.synth.clock import iso_datetime
from kaari.synth.fhir import HEALTH
from kaari.synth.organizations import Unit
from kaari.synth.record import Record

INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# Tests whose level is shifted by a condition (beyond the condition's own monitoring test).
DISEASE_TESTS = {
    "diabetes-t2": ("hba1c", "gluc", "ldl", "chol"),
    "diabetes-t1": ("hba1c", "gluc"),
    "chd": ("ldl", "chol"),
    "heart-failure": ("ntprobnp", "krea", "egfr", "na"),
    "alcohol": ("gt", "alat", "hb"),
    "drugs": ("alat",),
    "hypothyroidism": ("tsh",),
    "cancer": ("hb", "crp"),
    "copd": ("crp",),
    "schizophrenia": ("gluc",),
}
_INTERPRETATIONS = {"H": "High", "L": "Low", "N": "Normal"}


class LabState:
    def __init__(self, *, rng: random.Random, sex: str, conditions: set[str], warfarin: bool) -> None:
        self.rng = rng
        self.sex = sex
        self.tests = knowledge.labs()["tests"]
        self.diseased = {t for c in conditions for t in DISEASE_TESTS.get(c, ())}
        if warfarin:
            self.diseased.add("inr")
        self.level: dict[str, float] = {}

    def value(self, test: str) -> float:
        spec = self.tests[test]
        level = self.level.get(test)
        if level is None:
            mean, spread = spec["disease"] if test in self.diseased else spec["normal"]
            if self.sex == "female":
                mean += spec.get("female_shift", 0)
            level = self.rng.gauss(mean, spread)
            self.level[test] = level
        value = max(spec["low"] * 0.3 if spec["low"] else 0.05, self.rng.gauss(level, spec["sd"]))
        return round(value, spec["decimals"]) if spec["decimals"] else round(value)


def lab_round(*, record: Record, state: LabState, day: int, tests: list[str], unit: Unit) -> list[str]:
    """Observations for the tests drawn on one morning; returns short Finnish result texts for the note."""
    texts = []
    minute = 450 + 10 * int(state.rng.random() * 15)
    when = iso_datetime(day, minute)
    issued = iso_datetime(day, min(minute + 240, 1380))
    for test in tests:
        spec = state.tests[test]
        value = state.value(test)
        low = spec.get(f"low_{state.sex}", spec["low"])
        high = spec.get(f"high_{state.sex}", spec["high"])
        flag = "H" if high is not None and value > high else "L" if low is not None and value < low else "N"
        quantity = {"value": value, "unit": spec["unit"] or spec["ucum"], "system": fhir.UCUM, "code": spec["ucum"]}
        reference: dict[str, Any] = {}
        if low is not None:
            reference["low"] = {"value": low, "unit": quantity["unit"], "system": fhir.UCUM, "code": spec["ucum"]}
        if high is not None:
            reference["high"] = {"value": high, "unit": quantity["unit"], "system": fhir.UCUM, "code": spec["ucum"]}
        observation = {
            "resourceType": "Observation",
            "id": record.ident("obs"),
            "meta": fhir.meta_client(register=HEALTH, keeper=unit.ident),
            "status": "final",
            "category": [{"coding": [{"system": CATEGORY, "code": "laboratory", "display": "Laboratory"}]}],
            "code": {
                "coding": [{"system": fhir.LOINC, "code": spec["loinc"], "display": spec["display"]}],
                "text": spec["fi"],
            },
            "subject": record.patient_ref(),
            "effectiveDateTime": when,
            "issued": issued,
            "valueQuantity": quantity,
            "interpretation": [
                {"coding": [{"system": INTERPRETATION, "code": flag, "display": _INTERPRETATIONS[flag]}]}
            ],
        }
        if reference:
            observation["referenceRange"] = [reference]
        record.out.append(observation)
        texts.append(f"{spec['fi']} {value:g} {spec['unit']}".rstrip())
    return texts


def blood_pressure(*, record: Record, state: LabState, day: int, minute: int, encounter: str, unit: Unit) -> str:
    spec = knowledge.labs()["blood_pressure"]
    personal = state.level.get("bp")
    if personal is None:
        personal = state.rng.gauss(0, 1)
        state.level["bp"] = personal
    sys_mean, dia_mean = spec["disease"]
    systolic = round(sys_mean + personal * spec["sd"][0] + state.rng.gauss(0, 6))
    diastolic = round(dia_mean + personal * spec["sd"][1] + state.rng.gauss(0, 4))
    mmhg = {"unit": "mmHg", "system": fhir.UCUM, "code": "mm[Hg]"}
    record.out.append(
        {
            "resourceType": "Observation",
            "id": record.ident("obs"),
            "meta": fhir.meta_client(register=HEALTH, keeper=unit.ident),
            "status": "final",
            "category": [{"coding": [{"system": CATEGORY, "code": "vital-signs", "display": "Vital Signs"}]}],
            "code": {
                "coding": [{"system": fhir.LOINC, "code": spec["loinc"], "display": spec["display"]}],
                "text": "Verenpaine",
            },
            "subject": record.patient_ref(),
            "encounter": {"reference": f"Encounter/{encounter}"},
            "effectiveDateTime": iso_datetime(day, minute),
            "component": [
                {
                    "code": {
                        "coding": [
                            {
                                "system": fhir.LOINC,
                                "code": spec["systolic"]["loinc"],
                                "display": spec["systolic"]["display"],
                            }
                        ]
                    },
                    "valueQuantity": {"value": systolic, **mmhg},
                },
                {
                    "code": {
                        "coding": [
                            {
                                "system": fhir.LOINC,
                                "code": spec["diastolic"]["loinc"],
                                "display": spec["diastolic"]["display"],
                            }
                        ]
                    },
                    "valueQuantity": {"value": diastolic, **mmhg},
                },
            ],
        }
    )
    return f"RR {systolic}/{diastolic} mmHg"
