"""Duplicate therapy: same substance, same class (ATC level 4 or a cited wider class) and cited exceptions."""

from __future__ import annotations

import pytest

from kaari.safety.knowledge import knowledge_base
from kaari.safety.rules import check_duplicate_therapy

from .factories import context_for, draft, order

KB = knowledge_base()


def _duplicates(drafts, resources=(), **kw):
    return check_duplicate_therapy(context_for(drafts, resources, **kw))


def test_the_same_substance_already_in_use_warns():
    cards = _duplicates(["C10AA05"], active=["C10AA05"])
    assert [(c.indicator, c.rule_id) for c in cards] == [("warning", "dup.same-substance")]


def test_a_substance_inside_an_active_combination_is_a_duplicate():
    cards = _duplicates(["N02BE01"], active=["N02AJ06"])
    assert [c.rule_id for c in cards] == ["dup.same-substance"]
    assert "paracetamol" in cards[0].summary


def test_two_members_of_one_atc_level_four_class_warn():
    cards = _duplicates(["C10AA07"], active=["C10AA05"])
    assert [c.rule_id for c in cards] == ["dup.same-class"]


@pytest.mark.parametrize("dup_class", KB.files.duplicate_classes, ids=lambda c: c.id)
def test_a_cited_wider_class_catches_members_of_different_level_four_groups(dup_class):
    members = [
        code for code, e in KB.atc.items() if e.level == 5 and not e.components and KB.matches(code, dup_class.atc)
    ]
    pairs = [(a, b) for a in members for b in members if a[:5] != b[:5]][:12]
    assert pairs
    # Some cross-group pairs are cited intended combinations; the class must catch the others.
    fired = [pair for pair in pairs if dup_class.id in [c.rule_id for c in _duplicates([pair[1]], active=[pair[0]])]]
    assert fired, pairs


EXCEPTION_PAIRS = {
    "dup.exception.saba-laba": ("R03AC02", "R03AK06"),
    "dup.exception.dapt": ("B01AC06", "B01AC24"),
    "dup.exception.antiepileptic-polytherapy": ("N03AX09", "N03AX14"),
    "dup.exception.vitamin-d-top-up": ("A11CC05", "A12AX"),
    "dup.exception.insulin-basal-bolus": ("A10AE04", "A10AB05"),
    "dup.exception.vka-heparin-bridging": ("B01AA03", "B01AB05"),
}


def test_every_exception_has_a_case_here():
    listed = {e.id for e in KB.files.duplicate_exceptions if not e.when_one_as_needed}
    assert listed == set(EXCEPTION_PAIRS)


@pytest.mark.parametrize(("exception_id", "pair"), EXCEPTION_PAIRS.items())
def test_an_intended_combination_from_a_cited_exception_is_silent(exception_id, pair):
    assert _duplicates([pair[1]], active=[pair[0]]) == []


def test_a_regular_opioid_with_an_as_needed_one_for_breakthrough_pain_is_silent():
    as_needed = draft("N02AA05", dosageInstruction=[{"text": "5 mg when needed", "asNeededBoolean": True}])
    assert _duplicates([as_needed], active=["N02AA05"]) == []


def test_two_regular_opioids_warn():
    assert [c.rule_id for c in _duplicates(["N02AA01"], active=["N02AA05"])] == ["dup.class.opioids"]


def test_immediate_and_controlled_release_levodopa_taken_as_needed_is_silent():
    as_needed = draft("N04BA02", dosageInstruction=[{"asNeededBoolean": True}])
    assert _duplicates([as_needed], active=["N04BA02"]) == []


def test_the_same_antiepileptic_twice_is_not_excused_by_the_polytherapy_exception():
    assert [c.rule_id for c in _duplicates(["N03AX14"], active=["N03AX14"])] == ["dup.same-substance"]


def test_gabapentin_with_pregabalin_is_a_duplicate():
    assert [c.rule_id for c in _duplicates(["N02BF02"], active=["N02BF01"])] == ["dup.same-class"]


def test_a_stopped_medicine_is_not_duplicated():
    assert _duplicates(["C10AA05"], [order("C10AA05", status="stopped")]) == []


def test_a_draft_that_replaces_the_active_order_is_not_a_duplicate_of_it():
    active = order("C10AA05", resource_id="old-statin")
    change = draft("C10AA05", priorPrescription={"reference": "MedicationRequest/old-statin"})
    assert _duplicates([change], [active]) == []


def test_two_drafts_of_the_same_class_warn_once():
    cards = _duplicates(["C09AA05", "C09AA02"])
    assert len(cards) == 1
