"""Acceptance over HTTP: charts posted through the FHIR API, then order-sign with a draft, read from the store.

Every ONC high-priority pair (both ways round) and every Finnish-practice interaction of the evaluation cases
gives a warning or critical card; every one of the 247 everyday non-interacting combinations gives none.
"""

from __future__ import annotations

import pytest

from kaari.cds.cards import Card
from kaari.safety.evaluation import EvaluationCase, evaluation_cases, evaluation_run
from kaari.safety.knowledge import knowledge_base
from tests.cds.hook_requests import order_sign
from tests.safety.charts import chart_post, medication_draft

pytestmark = pytest.mark.slow
CASES = evaluation_cases()


def _cards_over_http(kaari):
    charts: dict[tuple[str, ...], str] = {}

    def cards_for(case: EvaluationCase):
        if case.active not in charts:
            charts[case.active] = chart_post(kaari, active=case.active)
        patient_id = charts[case.active]
        body = order_sign(patient_id=patient_id, drafts=[medication_draft(patient_id, case.draft)])
        return [Card.model_validate(card) for card in kaari.cards("medication-safety", body)]

    return cards_for


def test_the_cases_cover_all_15_onc_interactions_and_at_least_200_everyday_combinations():
    onc_numbers = {onc.number for onc in knowledge_base().files.onc}
    assert len(onc_numbers) == 15
    assert {c.label.split(" ")[1] for c in CASES if c.label.startswith("ONC ")} == {str(n) for n in onc_numbers}
    assert sum(1 for c in CASES if not c.expect_alert) >= 200


def test_every_interacting_pair_alerts_and_every_everyday_combination_is_silent_over_http(kaari):
    result = evaluation_run(cases=CASES, cards_for=_cards_over_http(kaari))

    positives = result.true_positives + result.false_negatives
    negatives = result.true_negatives + result.false_positives
    print(
        f"\nover HTTP: sensitivity {result.sensitivity:.3f} ({result.true_positives}/{positives}), "
        f"specificity {result.specificity:.3f} ({result.true_negatives}/{negatives})"
    )
    assert [case.label for case in result.misses] == []
    assert [(case.label, summary) for case, summary in result.false_alarms] == []
