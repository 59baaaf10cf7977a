"""Replaying a county's laboratory results as orders: a repeat inside the interval would have been warned."""

from __future__ import annotations

from kaari.labs.replay import lab_testing_replay

PATIENT = {"resourceType": "Patient", "id": "p1"}


def hba1c(result_id: str, taken: str, patient: str = "p1") -> dict:
    return {
        "resourceType": "Observation",
        "id": result_id,
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "4548-4"}]},
        "subject": {"reference": f"Patient/{patient}"},
        "effectiveDateTime": f"{taken}T08:00:00+02:00",
        "valueQuantity": {"value": 6.4, "unit": "%"},
    }


def test_a_result_30_days_after_the_last_would_have_been_warned_and_one_after_200_days_not():
    residents, tests = lab_testing_replay(
        resources=[PATIENT, hba1c("a", "2025-01-01"), hba1c("b", "2025-01-31"), hba1c("c", "2025-08-19")]
    )

    assert residents == 1
    assert (tests["B -HbA1c"].orders, tests["B -HbA1c"].warned) == (3, 1)
    assert tests["B -HbA1c"].rules == {"lab-duplicates/mri-hba1c"}


def test_another_residents_earlier_result_does_not_count():
    residents, tests = lab_testing_replay(
        resources=[
            PATIENT,
            hba1c("a", "2025-01-01"),
            {"resourceType": "Patient", "id": "p2"},
            hba1c("b", "2025-01-10", "p2"),
        ]
    )

    assert residents == 2
    assert tests["B -HbA1c"].warned == 0
