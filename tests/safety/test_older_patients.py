"""Potentially inappropriate medicines from age 75 (EU(7)-PIM, Beers 2023): passive info cards."""

from __future__ import annotations

import pytest

from kaari.safety.knowledge import knowledge_base
from kaari.safety.rules import check_potentially_inappropriate_medicines
from kaari.safety.rules.elderly import _specificity

from .factories import aged, context_for, patient
from .representatives import substance_codes

KB = knowledge_base()


def _primary_code(entry):
    """A substance for which this entry, not a more specific one, is the one that speaks."""
    for code in substance_codes(KB):
        entries = KB.pims_for(code)
        if entry in entries and max(entries, key=lambda e: _specificity(e, (code,))) == entry:
            return code
    raise LookupError(entry.id)


def _pim(code, person):
    return check_potentially_inappropriate_medicines(context_for([code], person=person))


@pytest.mark.parametrize("entry", KB.pims, ids=[e.id for e in KB.pims])
def test_each_listed_medicine_gives_an_info_card_at_75(entry):
    cards = _pim(_primary_code(entry), aged(75))
    assert [(c.indicator, c.rule_id) for c in cards] == [("info", entry.id)]


@pytest.mark.parametrize("entry", KB.pims, ids=[e.id for e in KB.pims])
def test_no_listed_medicine_is_flagged_at_74(entry):
    assert _pim(_primary_code(entry), aged(74)) == []


def test_a_medicine_on_no_list_is_not_flagged_at_90():
    assert _pim("C08CA01", aged(90)) == []


def test_without_a_birth_date_no_age_rule_fires():
    person = patient()
    person.pop("birthDate")
    assert _pim("N06AA09", person) == []


def test_a_medicine_on_two_entries_gets_one_card_naming_both_lists():
    cards = _pim("N05AD01", aged(80))
    assert len(cards) == 1
    assert "EU(7)-PIM" in cards[0].summary and "Beers 2023" in cards[0].summary
