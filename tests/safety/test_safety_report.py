"""`kaari safety report` prints alert rates per 100 orders and override rates per rule from recorded calls."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from tests.cds.hook_requests import feedback_body, order_sign
from tests.safety.charts import chart_post, medication_draft


def sign(kaari, patient_id, *atc_codes):
    drafts = [medication_draft(patient_id, atc) for atc in atc_codes]
    return kaari.cards("medication-safety", order_sign(patient_id=patient_id, drafts=drafts))


def report(*args: str) -> str:
    out = io.StringIO()
    call_command("safety", "report", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def recorded(kaari):
    """Four signings, five orders, three cards (two critical, one warning): two overridden, one accepted."""
    (warning,) = sign(kaari, chart_post(kaari, active=["B01AA03"]), "M01AE01")
    kaari.feedback("medication-safety", feedback_body(warning, outcome="overridden", comment="Short course"))
    (critical,) = sign(kaari, chart_post(kaari, allergies=[("J01CA04", "confirmed")]), "J01CR02", "N02BE01")
    reason = critical["overrideReasons"][1]
    kaari.feedback("medication-safety", feedback_body(critical, outcome="overridden", reason=reason))
    assert sign(kaari, chart_post(kaari), "N02BE01") == []
    (accepted,) = sign(kaari, chart_post(kaari, allergies=[("J01CA04", "confirmed")]), "J01CR02")
    remove = accepted["suggestions"][0]["uuid"]
    kaari.feedback("medication-safety", feedback_body(accepted, outcome="accepted", accepted=[remove]))
    return reason


def test_the_report_gives_alerts_per_100_orders_from_the_recorded_calls(recorded):
    text = report()

    assert "medication-safety: 4 calls, 5 medication orders, 3 cards (critical 2, warning 1, info 0)" in text
    assert "alerts per 100 orders: 60.0; interrupting (critical) 40.0, warning 20.0, info 0.0" in text


def test_the_report_gives_the_override_rate_and_reasons_per_rule(recorded):
    lines = report().splitlines()

    allergy = next(line for line in lines if line.startswith("allergy.substance"))
    assert allergy.split()[1:] == ["2", "2", "1", "1", "0", "50", "%"]
    assert f"    override reason: {recorded['display']} (1)" in lines
    interaction = next(line for line in lines if line.startswith("ddi."))
    assert interaction.split()[1:] == ["1", "0", "0", "1", "0", "100", "%"]
    assert "    override reason: comment only (1)" in lines


def test_a_period_without_calls_reports_none(recorded):
    text = report("--until", "2020-01-01")

    assert "medication-safety: 0 calls, 0 medication orders, 0 cards" in text
    assert "alerts per 100 orders: -" in text
    assert "(no cards recorded in this period)" in text


def test_a_malformed_date_is_refused():
    with pytest.raises(CommandError):
        report("--since", "last week")
