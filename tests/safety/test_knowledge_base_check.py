"""`kaari kb check` and the validation behind it."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kaari.safety.knowledge import KNOWLEDGE_DIR, KnowledgeError, knowledge_base_load
from kaari.safety.knowledge.loader import FILES, knowledge_files_read
from kaari.safety.knowledge.validation import atc_level, knowledge_problems


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    for name in FILES:
        shutil.copy(KNOWLEDGE_DIR / f"{name}.toml", tmp_path / f"{name}.toml")
    return tmp_path


def _edit(directory: Path, name: str, old: str, new: str) -> None:
    path = directory / f"{name}.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_shipped_knowledge_base_has_no_problems():
    assert knowledge_problems(knowledge_files_read()) == []


def test_kb_check_summarises_a_sound_knowledge_base():
    out = StringIO()
    call_command("kb", "check", stdout=out)
    text = out.getvalue()
    assert "knowledge base OK" in text
    assert "ONC high-priority interactions covered: 15/15" in text
    assert "catalogue: " in text and "interaction rules: " in text


@pytest.mark.parametrize(
    ("name", "old", "new", "problem"),
    [
        (
            "interactions",
            'id = "ddi.warfarin-nsaid"\nseverity = "major"',
            'id = "ddi.warfarin-nsaid"\nseverity = "serious"',
            "severity 'serious'",
        ),
        (
            "interactions",
            'parts = [["B01AA03"], ["@nsaids"]]',
            'parts = [["B01AA99"], ["@nsaids"]]',
            "B01AA99 is not in the shipped ATC list",
        ),
        (
            "interactions",
            'parts = [["B01AA03"], ["@nsaids"]]',
            'parts = [["B1AA03"], ["@nsaids"]]',
            "'B1AA03' is not a well-formed ATC code",
        ),
        (
            "interactions",
            'parts = [["B01AA03"], ["@nsaids"]]',
            'parts = [["B01AA03"], ["@painkillers"]]',
            "group '@painkillers' is not defined",
        ),
        (
            "interactions",
            'id = "ddi.doac-nsaid"',
            'id = "ddi.warfarin-nsaid"',
            "rule id 'ddi.warfarin-nsaid' is used 2 times",
        ),
        ("groups", 'atc = ["A02BC"]\nsource = ', 'atc = ["A02BC"]\norigin = ', "groups.toml ppi: no 'source'"),
        ("renal", 'measure = "crcl"\nbelow = 15\n', 'measure = "cockcroft"\nbelow = 15\n', "measure 'cockcroft'"),
        ("pim", 'url = "https://doi.org/10.1111/jgs.18372" }', 'url = "" }', "source.url is missing"),
        ("atc", '{ code = "C09AA05", level = 5,', '{ code = "C09AA05", level = 4,', "C09AA05: level 4 does not match"),
        (
            "catalogue",
            'forms = { "tabletti" = ["500 mg", "850 mg", "1000 mg"]',
            'forms = { "tabletti" = ["500", "850 mg", "1000 mg"]',
            "strength '500' is not a number with a unit",
        ),
        (
            "catalogue",
            'atc = "A10BA02"\nfi = "metformiini"',
            'atc = "A10BA"\nfi = "metformiini"',
            "coded at substance level",
        ),
        ("allergy", "\n[default_class]\n", "\n[default]\n", "[default_class] with its source is missing"),
    ],
)
def test_kb_check_reports_each_kind_of_problem_and_fails(knowledge_copy, name, old, new, problem):
    _edit(knowledge_copy, name, old, new)
    err = StringIO()
    with pytest.raises(CommandError, match="problem"):
        call_command("kb", "check", "--dir", str(knowledge_copy), stderr=err)
    assert problem in err.getvalue()


def test_a_knowledge_base_with_problems_refuses_to_load(knowledge_copy):
    _edit(knowledge_copy, "onc", "number = 14\n", "number = 13\n")
    with pytest.raises(KnowledgeError, match="interaction 14 is listed 0 times"):
        knowledge_base_load(knowledge_copy)


@pytest.mark.parametrize(
    ("code", "level"),
    [("N", 1), ("N06", 2), ("N06A", 3), ("N06AB", 4), ("N06AB04", 5), ("N6AB04", None), ("X06", None)],
)
def test_atc_codes_are_well_formed_by_level(code, level):
    assert atc_level(code) == level


def test_every_atc_code_in_the_list_has_its_parent_and_components_listed():
    files = knowledge_files_read()
    for code, entry in files.atc.items():
        if entry.level > 1:
            parent = code[: {2: 1, 3: 3, 4: 4, 5: 5}[entry.level]]
            assert parent in files.atc, code
        for component in entry.components:
            assert files.atc[component].level == 5
