"""The laboratory catalogue: orderable tests, the analytes they measure, and panels of tests.

Matching is by analyte, never by raw code: every LOINC code of one measurand (units, methods,
calculated and direct) belongs to one analyte, and a panel measures the analytes of its parts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kaari.labs.loinc import LOINC_SYSTEM

# Kaari's own code system for the national abbreviations (e.g. "B -HbA1c"), used beside LOINC.
LAB_TEST_SYSTEM = "https://kaari.fi/fhir/CodeSystem/lab-test"
CATALOGUE_PATH = Path(__file__).parent / "knowledge" / "catalogue.json"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class KnowledgeSource(_Frozen):
    label: str = Field(min_length=1)
    url: str | None = None
    edition: str | None = None


class LoincTerm(_Frozen):
    code: str
    display: str
    unit: str | None = None


class Analyte(_Frozen):
    id: str
    name_fi: str
    name_en: str
    loinc: list[LoincTerm]


class ReferenceRange(_Frozen):
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    sex: Literal["male", "female"] | None = None
    age: str | None = None
    text: str | None = None
    source: str


class Price(_Frozen):
    eur: float = Field(ge=0)
    source: str


class LabTest(_Frozen):
    id: str
    abbreviation: str
    name_fi: str
    analyte: str
    specimen: str
    loinc: str | None
    loinc_pending: str | None = None
    unit: str | None
    orderable: bool
    reference_ranges: list[ReferenceRange]
    price: Price | None


class Panel(_Frozen):
    id: str
    abbreviation: str
    name_fi: str
    loinc: list[str]
    specimen: str
    national: bool
    parts: list[str]
    price: Price | None


class CatalogueFile(_Frozen):
    kind: Literal["kaari-lab-catalogue"]
    version: str
    date: str
    description: str
    sources: dict[str, KnowledgeSource]
    analytes: list[Analyte]
    tests: list[LabTest]
    panels: list[Panel]
    # Sending system's coding system (OBX-3.3) -> its code (OBX-3.1) -> catalogue test id.
    hl7_local_codes: dict[str, dict[str, str]]


Orderable = LabTest | Panel


def _normalise_abbreviation(text: str) -> str:
    # "P -Krea", "P-Krea" and "p -krea" are the same national abbreviation.
    return "".join(text.split()).casefold()


class Catalogue:
    """Indexes over a validated catalogue file. Lookups take FHIR codings or HL7 v2 codes."""

    def __init__(self, *, data: CatalogueFile) -> None:
        self.data = data
        self.analytes = {a.id: a for a in data.analytes}
        self.tests = {t.id: t for t in data.tests}
        self.panels = {p.id: p for p in data.panels}
        self._analyte_by_loinc = {term.code: a.id for a in data.analytes for term in a.loinc}
        self._orderable_by_loinc: dict[str, Orderable] = {}
        self._orderable_by_abbreviation: dict[str, Orderable] = {}
        orderables: list[Orderable] = [*data.tests, *data.panels]
        for orderable in orderables:
            self._orderable_by_abbreviation[_normalise_abbreviation(orderable.abbreviation)] = orderable
            for code in _orderable_loinc_codes(orderable):
                self._orderable_by_loinc[code] = orderable

    @property
    def version(self) -> str:
        return self.data.version

    def analytes_of_orderable(self, orderable: Orderable) -> frozenset[str]:
        if isinstance(orderable, LabTest):
            return frozenset({orderable.analyte})
        return frozenset(self.tests[part].analyte for part in orderable.parts if part in self.tests)

    def orderable_for_coding(self, *, system: str | None, code: str | None) -> Orderable | None:
        if not code:
            return None
        if system == LOINC_SYSTEM:
            return self._orderable_by_loinc.get(code)
        if system == LAB_TEST_SYSTEM:
            return self._orderable_by_abbreviation.get(_normalise_abbreviation(code))
        return None

    def analytes_of_coding(self, *, system: str | None, code: str | None) -> frozenset[str]:
        orderable = self.orderable_for_coding(system=system, code=code)
        if orderable is not None:
            return self.analytes_of_orderable(orderable)
        if system == LOINC_SYSTEM and code in self._analyte_by_loinc:
            return frozenset({self._analyte_by_loinc[code]})
        return frozenset()

    def analytes_of_concept(self, concept: Mapping[str, Any] | None) -> frozenset[str]:
        """The analytes a CodeableConcept measures: the union over its codings."""
        found: set[str] = set()
        for coding in (concept or {}).get("coding") or []:
            found |= self.analytes_of_coding(system=coding.get("system"), code=coding.get("code"))
        return frozenset(found)

    def orderable_of_concept(self, concept: Mapping[str, Any] | None) -> Orderable | None:
        for coding in (concept or {}).get("coding") or []:
            orderable = self.orderable_for_coding(system=coding.get("system"), code=coding.get("code"))
            if orderable is not None:
                return orderable
        return None

    def orderable_for_local_code(self, *, coding_system: str, code: str, text: str = "") -> Orderable | None:
        """A sender's own code (HL7 OBX-3/OBR-4 not coded LN): the regional map first, then the abbreviation."""
        target = self.data.hl7_local_codes.get(coding_system, {}).get(code)
        if target is not None:
            return self.tests.get(target) or self.panels.get(target)
        for candidate in (code, text):
            orderable = self._orderable_by_abbreviation.get(_normalise_abbreviation(candidate)) if candidate else None
            if orderable is not None:
                return orderable
        return None

    def test_for_loinc(self, *, code: str) -> LabTest | None:
        orderable = self._orderable_by_loinc.get(code)
        return orderable if isinstance(orderable, LabTest) else None

    def analyte_for_loinc(self, *, code: str) -> Analyte | None:
        analyte_id = self._analyte_by_loinc.get(code)
        return self.analytes.get(analyte_id) if analyte_id else None

    def concept_for_orderable(self, orderable: Orderable) -> dict[str, Any]:
        """The CodeableConcept a ServiceRequest for this test or panel carries."""
        codings: list[dict[str, Any]] = [
            {"system": LOINC_SYSTEM, "code": code} for code in _orderable_loinc_codes(orderable)[:1]
        ]
        codings.append({"system": LAB_TEST_SYSTEM, "code": orderable.abbreviation, "display": orderable.name_fi})
        return {"coding": codings, "text": orderable.abbreviation}

    def price_of(self, orderable: Orderable) -> Price | None:
        return orderable.price


def _orderable_loinc_codes(orderable: Orderable) -> list[str]:
    if isinstance(orderable, Panel):
        return list(orderable.loinc)
    return [orderable.loinc] if orderable.loinc else []


def catalogue_file_read(*, path: Path = CATALOGUE_PATH) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def catalogue_build(*, raw: Mapping[str, Any]) -> Catalogue:
    return Catalogue(data=CatalogueFile.model_validate(raw))


def orderables_all(catalogue: Catalogue) -> Iterable[Orderable]:
    yield from catalogue.tests.values()
    yield from catalogue.panels.values()
