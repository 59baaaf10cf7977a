"""`kaari labs report` prints duplicates caught, overridden and avoided per test, with the cost saved."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command

from kaari.labs.knowledge import lab_knowledge
from tests.cds.hook_requests import feedback_body, order_select, order_sign
from tests.labs.charts import lab_draft, order_post, patient_post, result_post


def report() -> list[str]:
    out = io.StringIO()
    call_command("labs", "report", stdout=out)
    return out.getvalue().splitlines()


def row(lines: list[str], label: str) -> list[str]:
    line = next(line for line in lines if line.startswith(label))
    return line[49:].split()


def signed_card(kaari, patient_id, test_id, *, draft=None):
    draft = draft or lab_draft(patient_id, test_id)
    (card,) = kaari.cards("lab-duplicates", order_sign(patient_id=patient_id, drafts=[draft]))
    return card


def remove(kaari, service_id, card):
    accepted = feedback_body(card, outcome="accepted", accepted=[card["suggestions"][0]["uuid"]])
    assert kaari.feedback(service_id, accepted).status_code == 200


@pytest.fixture
def recorded(kaari):
    """HbA1c: three drafts warned (two removed, one overridden); B -PVK: one removed; P -TSH: one, no feedback."""
    first = patient_post(kaari)
    result_post(kaari, first, "hba1c", ago=timedelta(days=10))
    remove(kaari, "lab-duplicates", signed_card(kaari, first, "b-hba1c"))

    blood_count = patient_post(kaari)
    order_post(kaari, blood_count, "b-pvk")
    remove(kaari, "lab-duplicates", signed_card(kaari, blood_count, "b-pvk"))

    acute = patient_post(kaari)
    result_post(kaari, acute, "hba1c", ago=timedelta(days=20))
    card = signed_card(kaari, acute, "b-hba1c")
    reason = card["overrideReasons"][0]
    assert kaari.feedback("lab-duplicates", feedback_body(card, outcome="overridden", reason=reason)).status_code == 200

    thyroid = patient_post(kaari)
    result_post(kaari, thyroid, "tsh", ago=timedelta(days=3))
    signed_card(kaari, thyroid, "p-tsh")

    # Warned at selection and again at signing: one duplicate caught, removed at signing.
    twice = patient_post(kaari)
    result_post(kaari, twice, "hba1c", ago=timedelta(days=5))
    draft = lab_draft(twice, "b-hba1c")
    kaari.cards(
        "lab-duplicates-select",
        order_select(patient_id=twice, drafts=[draft], selections=[f"ServiceRequest/{draft['id']}"]),
    )
    remove(kaari, "lab-duplicates", signed_card(kaari, twice, "b-hba1c", draft=draft))


def test_each_test_shows_caught_overridden_avoided_and_unanswered(recorded):
    lines = report()

    assert row(lines, "B -HbA1c")[:4] == ["3", "1", "2", "0"]
    assert row(lines, "B -PVK")[:4] == ["1", "0", "1", "0"]
    assert row(lines, "P -TSH")[:4] == ["1", "0", "0", "1"]
    assert row(lines, "total") == ["5", "1", "3", "1", "6.00", "€"]


def test_cost_saved_uses_the_cited_price_and_says_no_price_where_there_is_none(recorded):
    lines = report()

    assert row(lines, "B -PVK")[4:] == ["6.00", "€", "6.00", "€"]
    assert row(lines, "B -HbA1c")[4:] == ["no", "price", "no", "price"]
    assert any(line.startswith("Cost saved counts priced tests only: 2 avoided tests have no price") for line in lines)
    assert any(line.startswith("Price source kela-vvk-2025: Kela") for line in lines)


def test_without_recorded_calls_the_report_says_so(db):
    assert "(no duplicate-test cards recorded in this period)" in report()


@pytest.fixture
def region_prices_hba1c(tmp_path, settings):
    document = {
        "kind": "kaari-lab-regional",
        "region": "pohjola",
        "version": "1",
        "date": "2025-09-01",
        "sources": {"pohjola-2025": {"label": "Pohjolan hyvinvointialue, laboratoriohinnasto 2025"}},
        "prices": {"b-hba1c": {"eur": 9.5, "source": "pohjola-2025"}},
    }
    path = tmp_path / "regional.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    settings.KAARI_LAB_REGIONAL_FILE = str(path)
    lab_knowledge.cache_clear()
    yield
    lab_knowledge.cache_clear()


def test_a_regional_price_list_prices_the_test_and_is_cited(kaari, region_prices_hba1c):
    patient_id = patient_post(kaari)
    result_post(kaari, patient_id, "hba1c", ago=timedelta(days=10))
    remove(kaari, "lab-duplicates", signed_card(kaari, patient_id, "b-hba1c"))

    lines = report()

    assert row(lines, "B -HbA1c") == ["1", "0", "1", "0", "9.50", "€", "9.50", "€"]
    assert "Price source pohjola-2025: Pohjolan hyvinvointialue, laboratoriohinnasto 2025" in lines
