"""Every card the rules produce meets the CDS Hooks contract and Kaari's alert-fatigue rules."""

from __future__ import annotations

from kaari.safety.rules import medication_context_build, medication_review_cards, medication_safety_cards

from .factories import TODAY, aged, allergy, cards_for, draft, egfr, order


def _busy_patient_cards():
    """An 82-year-old with reduced kidney function, a penicillin allergy and several interacting medicines."""
    resources = [
        aged(82),
        egfr(28),
        allergy("J01CA04"),
        *(order(code) for code in ("B01AA03", "C09AA05", "C03CA01", "L04AX03", "C10AA01", "N06AB04")),
    ]
    drafts = [draft(code) for code in ("M01AE01", "J01EE01", "J01FA09", "J01CR02", "N05AD01", "B01AF02")]
    context = medication_context_build(resources=resources, draft_orders=drafts, today=TODAY)
    return medication_safety_cards(context), drafts


def test_every_card_has_a_short_summary_a_source_and_a_rule():
    cards, _ = _busy_patient_cards()
    assert len(cards) > 8
    for card in cards:
        assert 0 < len(card.summary) <= 140
        assert card.source.label and card.source.url and card.source.url.startswith("http")
        assert card.rule_id
        assert card.detail


def test_only_critical_cards_carry_override_reasons():
    cards, _ = _busy_patient_cards()
    assert any(c.indicator == "critical" for c in cards)
    for card in cards:
        assert bool(card.overrideReasons) == (card.indicator == "critical")


def test_suggestions_act_on_the_draft_orders_by_their_resource_id():
    cards, drafts = _busy_patient_cards()
    draft_ids = {f"MedicationRequest/{d['id']}" for d in drafts}
    for card in cards:
        if card.suggestions:
            assert card.selectionBehavior == "at-most-one"
        for suggestion in card.suggestions:
            for action in suggestion.actions:
                if action.type == "delete":
                    assert action.resourceId in draft_ids
                else:
                    assert action.resource is not None
                    assert action.resource["status"] == "draft"
                    assert (
                        action.resource["medicationCodeableConcept"]["coding"][0]["system"] == "http://www.whocc.no/atc"
                    )


def test_one_finding_gives_one_card():
    cards, _ = _busy_patient_cards()
    assert len({c.uuid for c in cards}) == len(cards)
    # Two anticoagulants are both an interaction and a duplicate: one card, the more severe.
    both = [c for c in cards if "warfarin" in c.summary.lower() and "apixaban" in c.summary.lower()]
    assert [c.indicator for c in both] == ["critical"]
    assert "Also:" in (both[0].detail or "")


def test_card_ids_are_stable_between_calls_for_the_same_orders():
    def call():
        return cards_for([draft("M01AE01", resource_id="nsaid")], [order("B01AA03", resource_id="warfarin")])

    first, again = call(), call()
    assert [c.uuid for c in first] == [c.uuid for c in again]
    other = cards_for([draft("M01AE01", resource_id="another")], [order("B01AA03", resource_id="warfarin")])
    assert first[0].uuid != other[0].uuid


def test_cards_come_most_severe_first():
    cards, _ = _busy_patient_cards()
    ranks = [{"critical": 3, "warning": 2, "info": 1}[c.indicator] for c in cards]
    assert ranks == sorted(ranks, reverse=True)


def test_the_card_json_is_cds_hooks_without_internal_fields():
    cards, _ = _busy_patient_cards()
    payload = cards[0].to_json()
    assert "rule_id" not in payload
    assert {"summary", "indicator", "source", "uuid"} <= payload.keys()


def test_a_review_of_the_current_list_finds_interactions_between_active_medicines_without_suggestions():
    resources = [aged(60), egfr(90), order("B01AA03"), order("M01AE01"), order("C10AA05")]
    context = medication_context_build(resources=resources, review=True, today=TODAY)
    cards = medication_review_cards(context)
    assert [c.rule_id for c in cards] == ["ddi.warfarin-nsaid"]
    assert cards[0].suggestions == []
