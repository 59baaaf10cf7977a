"""Drug-allergy: substance, class and cross-reactivity matches, and the allergies that must stay silent."""

from __future__ import annotations

import pytest

from kaari.safety.knowledge import knowledge_base
from kaari.safety.rules import check_drug_allergies
from kaari.safety.rules.allergy import _class_match

from .factories import allergy, context_for
from .representatives import representative

KB = knowledge_base()


def _allergy_cards(draft_code: str, *allergies: dict) -> list:
    return check_drug_allergies(context_for([draft_code], list(allergies)))


@pytest.mark.parametrize("allergy_class", KB.files.allergy_classes, ids=lambda c: c.id)
def test_a_confirmed_allergy_to_one_member_of_a_class_is_critical_for_another_member(allergy_class):
    allergen = representative(allergy_class.atc)
    other = representative(allergy_class.atc, exclude=[allergen])
    cards = _allergy_cards(other, allergy(allergen))
    assert [c.indicator for c in cards] == ["critical"]
    assert cards[0].rule_id == allergy_class.id
    assert cards[0].overrideReasons


@pytest.mark.parametrize("group", KB.files.cross_reactivity, ids=lambda g: g.id)
def test_a_cross_reactivity_group_warns_across_classes(group):
    allergen = group.members[0]
    other = next(m for m in group.members[1:] if _class_match(KB, allergen, m) is None)
    cards = _allergy_cards(other, allergy(allergen))
    assert [(c.indicator, c.rule_id) for c in cards] == [("warning", group.id)]
    assert not cards[0].overrideReasons


def test_a_confirmed_allergy_to_the_substance_itself_is_critical():
    cards = _allergy_cards("J01CA04", allergy("J01CA04"))
    assert [(c.indicator, c.rule_id) for c in cards] == [("critical", "allergy.substance")]


def test_an_allergy_recorded_at_class_level_is_critical_for_a_member():
    cards = _allergy_cards("J01CE02", allergy("J01C"))
    assert [c.indicator for c in cards] == ["critical"]


def test_a_combination_containing_the_allergen_is_critical():
    cards = _allergy_cards("J01CR02", allergy("J01CA04"))
    assert [c.indicator for c in cards] == ["critical"]


def test_a_class_allergy_without_a_wider_class_uses_atc_level_four():
    cards = _allergy_cards("M01AE02", allergy("M01AE01"))
    assert [(c.indicator, c.rule_id) for c in cards] == [("critical", "allergy.class.atc-level-4")]


def test_an_unconfirmed_allergy_warns_instead_of_interrupting():
    cards = _allergy_cards("J01CA04", allergy("J01CA04", verification="unconfirmed"))
    assert [c.indicator for c in cards] == ["warning"]


def test_an_allergy_without_verification_status_warns():
    cards = _allergy_cards("J01CA04", allergy("J01CA04", verification=None))
    assert [c.indicator for c in cards] == ["warning"]


def test_a_confirmed_intolerance_warns_instead_of_interrupting():
    cards = _allergy_cards("C10AA05", allergy("C10AA05", kind="intolerance"))
    assert [c.indicator for c in cards] == ["warning"]


@pytest.mark.parametrize(
    ("verification", "clinical"),
    [("refuted", "active"), ("entered-in-error", "active"), ("confirmed", "inactive"), ("confirmed", "resolved")],
)
def test_a_refuted_erroneous_or_inactive_allergy_is_silent(verification, clinical):
    assert _allergy_cards("J01CA04", allergy("J01CA04", verification=verification, clinical=clinical)) == []


def test_a_penicillin_allergy_does_not_flag_a_cephalosporin_with_a_different_side_chain():
    assert _allergy_cards("J01DD04", allergy("J01CA04")) == []


def test_an_allergy_to_a_sulfonamide_antibiotic_does_not_flag_a_sulfonamide_diuretic():
    assert _allergy_cards("C03CA01", allergy("J01EE01")) == []


def test_an_allergy_card_offers_to_remove_the_draft():
    card = _allergy_cards("J01CA04", allergy("J01CA04"))[0]
    action = card.suggestions[0].actions[0]
    assert action.type == "delete"
    assert action.resourceId is not None and action.resourceId.startswith("MedicationRequest/")
