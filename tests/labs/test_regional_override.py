"""A region configures its own intervals, prices and local codes over the shipped defaults."""

import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from kaari.labs.knowledge import KnowledgeError, lab_knowledge, lab_knowledge_load
from kaari.labs.regional import RegionalError
from kaari.labs.rules.context import LabDuplicateContext
from kaari.labs.rules.duplicates import lab_duplicate_cards
from tests.labs.factories import NOW, loinc, observation, service_request


def _regional(tmp_path, **changes):
    document: dict[str, object] = {
        "kind": "kaari-lab-regional",
        "region": "pohjola",
        "version": "1",
        "date": "2025-09-01",
    }
    document["sources"] = {"pohjola-2025": {"label": "Pohjolan hyvinvointialue, laboratoriotoimikunta 2025"}}
    document.update(changes)
    path = tmp_path / "regional.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _hba1c_card_after(knowledge, days):
    draft = service_request(loinc("59261-8"))
    earlier = observation(loinc("4548-4"), value=7.1, unit="%", ago=timedelta(days=days))
    context = LabDuplicateContext(
        draft_orders=(draft,), results=(earlier,), pending_orders=(), now=NOW, knowledge=knowledge
    )
    return lab_duplicate_cards(context)


REGIONAL_HBA1C = {
    "id": "mri-hba1c",
    "interval": "90d",
    "source": "pohjola-2025",
    "reference": "päätös 12/2025",
    "guidance": "HbA1c aikaisintaan kolmen kuukauden välein.",
}


def test_a_regional_interval_replaces_the_shipped_one_and_cites_the_region(tmp_path):
    knowledge = lab_knowledge_load(regional_path=_regional(tmp_path, intervals=[REGIONAL_HBA1C]))
    assert knowledge.region == "pohjola"
    [card] = _hba1c_card_after(knowledge, days=70)
    assert "Pohjolan hyvinvointialue" in card.source.label and "päätös 12/2025" in card.source.label
    assert _hba1c_card_after(lab_knowledge_load(), days=70) == []


def test_a_region_can_disable_a_rule(tmp_path):
    knowledge = lab_knowledge_load(regional_path=_regional(tmp_path, disable_intervals=["mri-hba1c"]))
    assert _hba1c_card_after(knowledge, days=10) == []


def test_a_region_can_price_tests_from_its_own_price_list(tmp_path):
    prices = {"b-hba1c": {"eur": 7.9, "source": "pohjola-2025"}}
    knowledge = lab_knowledge_load(regional_path=_regional(tmp_path, prices=prices))
    price = knowledge.catalogue.tests["b-hba1c"].price
    assert price is not None and price.eur == 7.9


def test_a_regional_interval_that_is_not_a_duration_is_refused(tmp_path):
    bad = dict(REGIONAL_HBA1C, interval="3 months")
    with pytest.raises(KnowledgeError, match="not a number of hours"):
        lab_knowledge_load(regional_path=_regional(tmp_path, intervals=[bad]))


def test_a_regional_change_citing_no_known_source_is_refused(tmp_path):
    bad = dict(REGIONAL_HBA1C, source="somebody")
    with pytest.raises(KnowledgeError, match="unknown source 'somebody'"):
        lab_knowledge_load(regional_path=_regional(tmp_path, intervals=[bad]))


def test_disabling_an_unknown_rule_or_pricing_an_unknown_test_is_refused(tmp_path):
    with pytest.raises(RegionalError, match="no shipped rule"):
        lab_knowledge_load(regional_path=_regional(tmp_path, disable_intervals=["mri-nope"]))
    with pytest.raises(RegionalError, match="no test or panel"):
        lab_knowledge_load(regional_path=_regional(tmp_path, prices={"x": {"eur": 1, "source": "pohjola-2025"}}))


def test_a_new_regional_rule_must_name_its_analytes(tmp_path):
    new = dict(REGIONAL_HBA1C, id="mri-glucose")
    with pytest.raises(RegionalError, match="must list its analytes"):
        lab_knowledge_load(regional_path=_regional(tmp_path, intervals=[new]))
    knowledge = lab_knowledge_load(regional_path=_regional(tmp_path, intervals=[dict(new, analytes=["gluk"])]))
    rule = knowledge.intervals.rule_for_analyte("gluk")
    assert rule is not None and rule.interval == "90d"


def test_the_configured_regional_file_is_used_by_the_service_and_the_check(tmp_path, settings):
    settings.KAARI_LAB_REGIONAL_FILE = str(_regional(tmp_path, intervals=[REGIONAL_HBA1C]))
    lab_knowledge.cache_clear()
    try:
        assert lab_knowledge().intervals.rules["mri-hba1c"].interval == "90d"
        call_command("labs", "check", "--quiet-warnings")
        settings.KAARI_LAB_REGIONAL_FILE = str(_regional(tmp_path, disable_intervals=["mri-nope"]))
        with pytest.raises(CommandError):
            call_command("labs", "check")
    finally:
        lab_knowledge.cache_clear()
