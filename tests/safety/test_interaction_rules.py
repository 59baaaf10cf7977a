"""Every drug-drug interaction rule in interactions.toml fires on medicines that match it."""

from __future__ import annotations

import pytest

from kaari.safety.knowledge import knowledge_base
from kaari.safety.rules.cards import INDICATOR_BY_SEVERITY
from kaari.safety.rules.interactions import interaction_matches

from .factories import alerts, cards_for, context_for, order
from .representatives import representative

RULES = knowledge_base().interactions


def _members(rule):
    chosen: list[str] = []
    for part in rule.parts:
        chosen.append(representative(part, exclude=chosen))
    return chosen


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_each_interaction_rule_fires_when_its_last_part_is_ordered(rule):
    members = _members(rule)
    context = context_for([members[-1]], active=members[:-1])
    fired = {r.id for matches in interaction_matches(context).values() for r, _ in matches}
    assert rule.id in fired, f"{rule.id} did not fire for {members}"


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_each_interaction_rule_fires_when_its_first_part_is_ordered(rule):
    members = _members(rule)
    context = context_for([members[0]], active=members[1:])
    fired = {r.id for matches in interaction_matches(context).values() for r, _ in matches}
    assert rule.id in fired


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_an_interaction_card_carries_the_indicator_of_the_most_severe_rule(rule):
    members = _members(rule)
    cards = [c for c in cards_for([members[-1]], active=members[:-1]) if c.rule_id.startswith("ddi.")]
    assert cards, f"no interaction card for {members}"
    ranks = {"info": 1, "warning": 2, "critical": 3}
    assert max(ranks[c.indicator] for c in cards) >= ranks[INDICATOR_BY_SEVERITY[rule.severity]]


def test_an_interaction_between_two_active_medicines_does_not_fire_at_order_time():
    assert not [c for c in cards_for(["A10BA02"], active=["B01AA03", "M01AE01"]) if c.rule_id.startswith("ddi.")]


def test_a_stopped_medicine_does_not_interact():
    stopped = [order("B01AA03", status=status) for status in ("stopped", "completed", "entered-in-error", "cancelled")]
    assert alerts(cards_for(["M01AE01"], stopped)) == []


def test_the_triple_whammy_speaks_once_instead_of_three_pairs():
    cards = cards_for(["M01AE01"], active=["C09AA05", "C03CA01"])
    interaction_cards = [c for c in cards if c.rule_id.startswith("ddi.")]
    assert [c.rule_id for c in interaction_cards] == ["ddi.triple-whammy"]
    assert interaction_cards[0].indicator == "warning"


def test_the_triple_whammy_is_found_inside_a_combination_tablet():
    cards = cards_for(["M01AB05"], active=["C09DA01"])
    assert "ddi.triple-whammy" in [c.rule_id for c in cards]


def test_methotrexate_with_co_trimoxazole_is_critical_through_its_trimethoprim_component():
    cards = cards_for(["J01EE01"], active=["L04AX03"])
    card = next(c for c in cards if c.rule_id == "ddi.methotrexate-trimethoprim")
    assert card.indicator == "critical"
    assert card.overrideReasons


def test_a_fixed_combination_does_not_interact_with_itself():
    # Amiloride-hydrochlorothiazide contains a potassium-sparing diuretic and a thiazide; alone it is no finding.
    assert [c for c in cards_for(["C03EA01"]) if c.rule_id.startswith("ddi.")] == []


def test_two_drafts_ordered_together_are_checked_against_each_other():
    cards = cards_for(["C01DA14", "G04BE03"])
    assert [c.rule_id for c in cards if c.indicator == "critical"] == ["ddi.nitrate-pde5"]
