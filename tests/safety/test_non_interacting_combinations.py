"""Everyday combinations that do not interact stay quiet, and the evaluation reports its figures."""

from __future__ import annotations

import pytest

from kaari.cds.cards import Card, Source
from kaari.safety.evaluation import EvaluationCase, evaluation_cases, evaluation_run

CASES = evaluation_cases()
NEGATIVES = [c for c in CASES if not c.expect_alert]
FINNISH_POSITIVES = [c for c in CASES if c.expect_alert and not c.label.startswith("ONC ")]


def test_there_are_at_least_two_hundred_everyday_non_interacting_combinations():
    assert len(NEGATIVES) >= 200
    assert len({(c.draft, c.active) for c in NEGATIVES}) == len(NEGATIVES)


@pytest.mark.parametrize("case", NEGATIVES, ids=[c.label for c in NEGATIVES])
def test_an_everyday_non_interacting_combination_gives_no_warning_or_critical_card(case):
    result = evaluation_run(cases=[case])
    assert result.false_positives == 0, result.false_alarms


@pytest.mark.parametrize("case", FINNISH_POSITIVES, ids=[c.label for c in FINNISH_POSITIVES])
def test_a_major_interaction_of_finnish_practice_gives_a_warning_or_critical_card(case):
    result = evaluation_run(cases=[case])
    assert result.true_positives == 1, case.label


def test_the_evaluation_counts_misses_and_false_alarms_of_any_checker():
    alarm = Card(summary="x", indicator="warning", source=Source(label="s", url="https://example.org"))
    cases = [
        EvaluationCase("A", ("B",), True, "missed"),
        EvaluationCase("C", ("D",), False, "false alarm"),
        EvaluationCase("E", ("F",), False, "quiet"),
    ]
    result = evaluation_run(cases=cases, cards_for=lambda case: [alarm] if case.label == "false alarm" else [])
    assert (result.true_positives, result.false_negatives, result.true_negatives, result.false_positives) == (
        0,
        1,
        1,
        1,
    )
    assert result.sensitivity == 0.0
    assert result.specificity == 0.5


def test_the_rules_reach_full_sensitivity_and_specificity_on_the_reference_cases():
    result = evaluation_run(cases=CASES)
    print(f"sensitivity {result.sensitivity:.3f}, specificity {result.specificity:.3f} over {len(CASES)} cases")
    assert result.misses == ()
    assert result.false_alarms == ()
