"""Timing of the medication rules for one order-sign: a patient with 15 active medicines and 1-3 drafts.

    python -m kaari.safety.benchmark [--rounds 2000]

Reports median, p95 and p99 of (a) the rules alone on a built context and (b) context building plus rules, the
part of an order-sign request the safety app owns, in wall-clock and in CPU time of the thread (the CPU figure is
the one to compare across machines: on a shared, loaded machine wall-clock tails measure the scheduler). The
knowledge base is loaded once before timing, as at start; its load time is printed too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import date
from typing import Any

ATC = "http://www.whocc.no/atc"
ACTIVE = [
    "A10BA02", "C10AA05", "C08CA01", "C09AA05", "C07AB07", "C03CA01", "B01AF02", "H03AA01",
    "A02BC02", "N02BE01", "A11CC05", "N06AB06", "N06DA02", "A06AD15", "G04CA02",
]  # fmt: skip
DRAFT_SETS = [["M01AE01"], ["J01FA09", "N02AA05"], ["J01EE01", "N05CF01", "C10AA01"]]


def _order(index: str, atc: str, status: str) -> dict[str, Any]:
    return {
        "resourceType": "MedicationRequest",
        "id": index,
        "status": status,
        "intent": "order",
        "medicationCodeableConcept": {"coding": [{"system": ATC, "code": atc}]},
    }


def _lab(index: str, loinc: str, value: float, unit: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": index,
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
        "effectiveDateTime": "2026-11-01",
        "valueQuantity": {"value": value, "unit": unit, "code": unit},
    }


def patient_resources() -> list[dict[str, Any]]:
    return [
        {"resourceType": "Patient", "id": "p", "birthDate": "1942-03-01", "gender": "female"},
        _lab("egfr", "98979-8", 38, "mL/min/{1.73_m2}"),
        _lab("krea", "14682-9", 120, "umol/L"),
        _lab("weight", "29463-7", 58, "kg"),
        {
            "resourceType": "AllergyIntolerance",
            "id": "al",
            "clinicalStatus": {"coding": [{"code": "active"}]},
            "verificationStatus": {"coding": [{"code": "confirmed"}]},
            "code": {"coding": [{"system": ATC, "code": "J01CA04"}]},
        },
        *(_order(f"a{i}", code, "active") for i, code in enumerate(ACTIVE)),
    ]


def _percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    return (
        statistics.median(ordered),
        ordered[int(0.95 * (len(ordered) - 1))],
        ordered[int(0.99 * (len(ordered) - 1))],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=2000)
    rounds = parser.parse_args().rounds
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaari.settings")
    import django

    django.setup()
    from kaari.safety.knowledge import knowledge_base_load
    from kaari.safety.rules import medication_context_build, medication_safety_cards

    started = time.perf_counter()
    knowledge_base_load()
    print(f"knowledge base read, validated and indexed in {1000 * (time.perf_counter() - started):.0f} ms (once)")
    resources = patient_resources()
    today = date(2026, 11, 28)
    for drafts_codes in DRAFT_SETS:
        drafts = [_order(f"d{i}", code, "draft") for i, code in enumerate(drafts_codes)]
        context = medication_context_build(resources=resources, draft_orders=drafts, today=today)
        cards = medication_safety_cards(context)
        samples: dict[str, list[float]] = {}
        for _ in range(rounds):
            for name, clock in (("wall", time.perf_counter), ("cpu", time.thread_time)):
                t0 = clock()
                medication_safety_cards(context)
                t1 = clock()
                medication_safety_cards(medication_context_build(resources=resources, draft_orders=drafts, today=today))
                t2 = clock()
                samples.setdefault(f"rules {name}", []).append(1000 * (t1 - t0))
                samples.setdefault(f"context+rules {name}", []).append(1000 * (t2 - t1))
        label = f"15 active + {len(drafts)} draft(s), {len(cards)} cards"
        for name, values in samples.items():
            median, p95, p99 = _percentiles(values)
            print(f"{label:32} {name:19} median {median:.3f} ms  p95 {p95:.3f} ms  p99 {p99:.3f} ms")


if __name__ == "__main__":
    main()
