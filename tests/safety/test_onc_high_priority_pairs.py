"""Every pair of the ONC high-priority interaction list (Phansalkar et al. 2012) gives a warning or critical card,
whichever of the two is the order being signed."""

from __future__ import annotations

import pytest

from kaari.safety.knowledge import knowledge_base

from .factories import alerts, cards_for

ONC = knowledge_base().files.onc
PAIRS = [
    (entry.number, obj, precipitant)
    for entry in ONC
    for obj in entry.objects
    for precipitant in entry.precipitants
    if obj != precipitant
]


def test_the_onc_list_has_all_fifteen_interactions():
    assert sorted(entry.number for entry in ONC) == list(range(1, 16))


def test_the_mao_inhibitor_class_includes_members_outside_the_antidepressants():
    kb = knowledge_base()
    for code in ("J01XX08", "V03AB17", "L01XB01", "N04BD01", "N04BD02", "N04BD03", "N06AG02"):
        assert kb.in_group(code, "maoi") or kb.in_group(code, "maob"), code


@pytest.mark.parametrize(("number", "obj", "precipitant"), PAIRS, ids=[f"{n}-{o}-{p}" for n, o, p in PAIRS])
def test_an_onc_pair_alerts_when_the_object_is_ordered(number, obj, precipitant):
    assert alerts(cards_for([obj], active=[precipitant]))


@pytest.mark.parametrize(("number", "obj", "precipitant"), PAIRS, ids=[f"{n}-{o}-{p}" for n, o, p in PAIRS])
def test_an_onc_pair_alerts_when_the_precipitant_is_ordered(number, obj, precipitant):
    assert alerts(cards_for([precipitant], active=[obj]))
