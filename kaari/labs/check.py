"""`kaari labs check`: the knowledge files are well-formed, cited and consistent with each other."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from kaari.labs.catalogue import CatalogueFile
from kaari.labs.intervals import IntervalsFile
from kaari.labs.loinc import loinc_is_valid


@dataclass(frozen=True)
class Problem:
    level: Literal["error", "warning"]
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.where}: {self.message}"


def knowledge_problems(*, catalogue_raw: dict[str, Any], intervals_raw: dict[str, Any]) -> list[Problem]:
    """Every problem found. Errors make the knowledge unusable; warnings are gaps worth knowing."""
    try:
        catalogue = CatalogueFile.model_validate(catalogue_raw)
    except ValidationError as exc:
        return [Problem("error", "catalogue", _first_lines(exc))]
    try:
        intervals = IntervalsFile.model_validate(intervals_raw)
    except ValidationError as exc:
        return [Problem("error", "retesting intervals", _first_lines(exc))]
    return [*_catalogue_problems(catalogue), *_interval_problems(intervals, catalogue)]


def _first_lines(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5])


def _catalogue_problems(catalogue: CatalogueFile) -> list[Problem]:
    problems: list[Problem] = []
    ids = Counter([*(t.id for t in catalogue.tests), *(p.id for p in catalogue.panels)])
    problems += [Problem("error", f"catalogue {i}", "id used more than once") for i, n in ids.items() if n > 1]
    analytes = {a.id: a for a in catalogue.analytes}
    owner: dict[str, str] = {}
    for analyte in catalogue.analytes:
        for term in analyte.loinc:
            if not loinc_is_valid(code=term.code):
                problems.append(Problem("error", f"analyte {analyte.id}", f"LOINC {term.code} is malformed"))
            if term.code in owner and owner[term.code] != analyte.id:
                problems.append(
                    Problem("error", f"analyte {analyte.id}", f"LOINC {term.code} also in {owner[term.code]}")
                )
            owner[term.code] = analyte.id
    tests = {t.id: t for t in catalogue.tests}
    for test in catalogue.tests:
        where = f"test {test.id} ({test.abbreviation})"
        if test.analyte not in analytes:
            problems.append(Problem("error", where, f"unknown analyte {test.analyte!r}"))
        if test.loinc is None and not test.loinc_pending:
            problems.append(Problem("error", where, "no LOINC code and no loinc_pending reason"))
        if test.loinc is not None:
            if not loinc_is_valid(code=test.loinc):
                problems.append(Problem("error", where, f"LOINC {test.loinc} is malformed"))
            elif owner.get(test.loinc) != test.analyte:
                problems.append(Problem("error", where, f"LOINC {test.loinc} is not a code of analyte {test.analyte}"))
        for reference_range in test.reference_ranges:
            if reference_range.source not in catalogue.sources:
                problems.append(
                    Problem("error", where, f"reference range cites unknown source {reference_range.source!r}")
                )
        problems += _price_problems(where, test.price, catalogue, orderable=test.orderable)
    for panel in catalogue.panels:
        where = f"panel {panel.id} ({panel.abbreviation})"
        problems += [
            Problem("error", where, f"LOINC {c} is malformed") for c in panel.loinc if not loinc_is_valid(code=c)
        ]
        problems += [
            Problem("error", where, f"part {p!r} is not a catalogue test") for p in panel.parts if p not in tests
        ]
        if not panel.parts:
            problems.append(Problem("error", where, "a panel needs parts"))
        problems += _price_problems(where, panel.price, catalogue, orderable=True)
    for coding_system, codes in catalogue.hl7_local_codes.items():
        for code, test_id in codes.items():
            if test_id not in tests and test_id not in {p.id for p in catalogue.panels}:
                problems.append(
                    Problem("error", f"hl7_local_codes {coding_system}", f"{code} maps to unknown {test_id!r}")
                )
    return problems


def _price_problems(where: str, price: Any, catalogue: CatalogueFile, *, orderable: bool) -> list[Problem]:
    if price is None:
        return [Problem("warning", where, "no price from a cited price list")] if orderable else []
    if price.source not in catalogue.sources:
        return [Problem("error", where, f"price cites unknown source {price.source!r}")]
    return []


def _interval_problems(intervals: IntervalsFile, catalogue: CatalogueFile) -> list[Problem]:
    problems: list[Problem] = []
    analytes = {a.id for a in catalogue.analytes}
    covered: dict[str, str] = {}
    for rule in intervals.rules:
        where = f"interval rule {rule.id}"
        if rule.source not in intervals.sources:
            problems.append(Problem("error", where, f"cites unknown source {rule.source!r}"))
        for analyte in rule.analytes:
            if analyte not in analytes:
                problems.append(Problem("error", where, f"unknown analyte {analyte!r}"))
            if analyte in covered:
                problems.append(Problem("error", where, f"analyte {analyte!r} already has rule {covered[analyte]}"))
            covered[analyte] = rule.id
    return problems
