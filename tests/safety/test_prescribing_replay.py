"""Replaying a county's prescribing: each order against the chart as it stood that day."""

from __future__ import annotations

from kaari.safety.replay import prescribing_replay

ATC = "http://www.whocc.no/atc"


def order(order_id: str, atc: str, authored: str, valid_until: str) -> dict:
    return {
        "resourceType": "MedicationRequest",
        "id": order_id,
        "status": "completed",
        "intent": "order",
        "subject": {"reference": "Patient/p1"},
        "medicationCodeableConcept": {"coding": [{"system": ATC, "code": atc}]},
        "authoredOn": f"{authored}T10:00:00+02:00",
        "dispenseRequest": {"validityPeriod": {"start": authored, "end": valid_until}},
    }


PATIENT = {"resourceType": "Patient", "id": "p1", "birthDate": "1960-01-01", "gender": "female"}


def test_an_nsaid_written_while_warfarin_is_valid_warns_and_one_written_after_it_expired_does_not():
    figures = prescribing_replay(
        resources=[
            PATIENT,
            order("w", "B01AA03", "2025-01-01", "2025-12-31"),
            order("i1", "M01AE01", "2025-06-01", "2025-06-30"),
            order("i2", "M01AE01", "2026-02-01", "2026-02-28"),
        ]
    )

    assert (figures.residents, figures.orders) == (1, 3)
    assert figures.rules[("warning", "ddi.warfarin-nsaid")] == 1


def test_a_renewal_of_a_valid_order_replaces_it_instead_of_duplicating_it():
    figures = prescribing_replay(
        resources=[
            PATIENT,
            order("s1", "C10AA05", "2025-01-01", "2025-12-31"),
            order("s2", "C10AA05", "2025-12-01", "2026-12-01"),
        ]
    )

    assert figures.orders == 2
    assert sum(figures.cards.values()) == 0


def test_each_resident_is_replayed_against_their_own_chart():
    other = {**PATIENT, "id": "p2"}
    ibuprofen = {**order("i", "M01AE01", "2025-06-01", "2025-06-30"), "subject": {"reference": "Patient/p2"}}

    figures = prescribing_replay(
        resources=[PATIENT, order("w", "B01AA03", "2025-01-01", "2025-12-31"), other, ibuprofen]
    )

    assert (figures.residents, figures.orders, sum(figures.cards.values())) == (2, 2, 0)
