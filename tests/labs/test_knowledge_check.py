"""`kaari labs check`: the shipped knowledge is sound, and the checker catches what it claims to."""

import copy

import pytest
from django.core.management import call_command

from kaari.labs.catalogue import catalogue_file_read
from kaari.labs.check import knowledge_problems
from kaari.labs.intervals import intervals_file_read

CATALOGUE = catalogue_file_read()
INTERVALS = intervals_file_read()


def _errors(catalogue=CATALOGUE, intervals=INTERVALS):
    problems = knowledge_problems(catalogue_raw=catalogue, intervals_raw=intervals)
    return [str(p) for p in problems if p.level == "error"]


def test_the_shipped_knowledge_has_no_errors_and_the_promised_breadth():
    assert _errors() == []
    assert len(CATALOGUE["tests"]) >= 40
    assert len(INTERVALS["rules"]) >= 25
    abbreviations = {t["abbreviation"] for t in CATALOGUE["tests"]} | {p["abbreviation"] for p in CATALOGUE["panels"]}
    assert {
        "B -PVK",
        "P -Krea",
        "B -HbA1c",
        "fP -Kol-LDL",
        "P -TSH",
        "P -CRP",
        "fP -Gluk",
        "P -K",
        "P -Na",
    } <= abbreviations
    assert {"P -ALAT", "P -Ferrit", "P -D-25", "P -B12-TC", "P -PSA", "U -KemSeul", "P -INR"} <= abbreviations


def test_every_interval_rule_cites_a_source_with_a_label():
    for rule in INTERVALS["rules"]:
        assert INTERVALS["sources"][rule["source"]]["label"] and rule["reference"]


def test_a_loinc_code_with_a_wrong_check_digit_is_an_error():
    broken = copy.deepcopy(CATALOGUE)
    broken["analytes"][0]["loinc"][0]["code"] = "718-6"
    broken["tests"][0]["loinc"] = "718-6"
    assert any("718-6 is malformed" in e for e in _errors(catalogue=broken))


def test_a_panel_part_missing_from_the_catalogue_is_an_error():
    broken = copy.deepcopy(CATALOGUE)
    broken["panels"][0]["parts"].append("b-nonexistent")
    assert any("b-nonexistent" in e for e in _errors(catalogue=broken))


def test_a_test_whose_loinc_belongs_to_another_analyte_is_an_error():
    broken = copy.deepcopy(CATALOGUE)
    test = next(t for t in broken["tests"] if t["id"] == "b-hba1c")
    test["loinc"] = "14682-9"
    assert any("not a code of analyte hba1c" in e for e in _errors(catalogue=broken))


def test_a_rule_citing_an_unknown_source_is_an_error():
    broken = copy.deepcopy(INTERVALS)
    broken["rules"][0]["source"] = "hearsay"
    assert any("unknown source 'hearsay'" in e for e in _errors(intervals=broken))


def test_an_analyte_in_two_rules_is_an_error():
    broken = copy.deepcopy(INTERVALS)
    broken["rules"][1]["analytes"].append("hba1c")
    assert any("already has rule" in e for e in _errors(intervals=broken))


def test_a_rule_without_a_citation_does_not_load():
    broken = copy.deepcopy(INTERVALS)
    del broken["rules"][0]["reference"]
    assert _errors(intervals=broken)


def test_a_test_without_loinc_needs_a_stated_reason():
    broken = copy.deepcopy(CATALOGUE)
    del next(t for t in broken["tests"] if t["id"] == "p-b12-tc")["loinc_pending"]
    assert any("no LOINC code" in e for e in _errors(catalogue=broken))


def test_the_check_command_reports_the_counts(capsys):
    call_command("labs", "check", "--quiet-warnings")
    output = capsys.readouterr().out
    assert "56 tests" in output and "4 panels" in output and "26 cited rules" in output and "0 errors" in output


@pytest.mark.parametrize("tests_missing_price", [True])
def test_unpriced_tests_are_warnings_not_errors(tests_missing_price):
    problems = knowledge_problems(catalogue_raw=CATALOGUE, intervals_raw=INTERVALS)
    assert any(p.level == "warning" and "no price" in p.message for p in problems) is tests_missing_price
