"""A client's laboratory results as the page shows them, built from Observation dicts: pure, no I/O.

Results are grouped by analyte (the catalogue's grouping of LOINC codes), so HbA1c in % and in mmol/mol are one
test; a code the catalogue does not know is its own group. Anything a laboratory may send is shown, never a 500:
results without a value, a range, a date, or with coded values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kaari.labs.catalogue import Catalogue
from kaari.labs.fhirtime import HELSINKI, observation_time

LAB_CATEGORY = "laboratory"

# v3 ObservationInterpretation (and v2 0078) codes: (severity, label). Severity drives the style, the label the text.
FLAGS: dict[str, tuple[str, Promise]] = {
    "N": ("normal", _("Normal")),
    "H": ("abnormal", _("High")),
    "L": ("abnormal", _("Low")),
    "A": ("abnormal", _("Abnormal")),
    "HH": ("critical", _("Critically high")),
    "HU": ("critical", _("Critically high")),
    "LL": ("critical", _("Critically low")),
    "LU": ("critical", _("Critically low")),
    "AA": ("critical", _("Critically abnormal")),
    "POS": ("abnormal", _("Positive")),
    "NEG": ("normal", _("Negative")),
}


@dataclass(frozen=True)
class Flag:
    code: str
    severity: str  # normal | abnormal | critical | other
    label: str


@dataclass(frozen=True)
class ResultRow:
    observation_id: str
    value_text: str
    number: float | None
    unit: str
    moment: datetime | None
    range_text: str
    low: float | None
    high: float | None
    flag: Flag | None
    status: str

    @property
    def flag_is_abnormal(self) -> bool:
        return self.flag is not None and self.flag.severity in ("abnormal", "critical")


@dataclass
class AnalyteResults:
    key: str
    label: str
    name: str
    rows: list[ResultRow] = field(default_factory=list)

    @property
    def latest(self) -> ResultRow:
        return self.rows[0]


def is_lab_result(observation: Mapping[str, Any], catalogue: Catalogue) -> bool:
    """A laboratory-category Observation, or one whose code the laboratory catalogue knows."""
    for category in observation.get("category") or []:
        if any(c.get("code") == LAB_CATEGORY for c in category.get("coding") or []):
            return True
    return bool(catalogue.analytes_of_concept(observation.get("code")))


def results_by_analyte(
    observations: Iterable[Mapping[str, Any]], *, catalogue: Catalogue, language: str
) -> list[AnalyteResults]:
    """One group per analyte, newest result first; groups ordered by their newest result."""
    groups: dict[str, AnalyteResults] = {}
    for observation in observations:
        if observation.get("status") == "entered-in-error":
            continue
        moment = observation_time(observation=dict(observation))
        parts = [observation, *(observation.get("component") or [])] if observation.get("component") else [observation]
        for part in parts:
            if part is observation and observation.get("component") and not _hasvalue_of(part):
                continue
            key, label, name = analyte_of(part.get("code"), catalogue, language)
            group = groups.setdefault(key, AnalyteResults(key=key, label=label, name=name))
            group.rows.append(result_row(part, observation=observation, moment=moment))
    for group in groups.values():
        group.rows.sort(key=_newest_first)
    return sorted(groups.values(), key=lambda g: (_newest_first(g.latest), g.label))


def _newest_first(row: ResultRow) -> tuple[int, float]:
    return (0, -row.moment.timestamp()) if row.moment else (1, 0.0)


def _hasvalue_of(element: Mapping[str, Any]) -> bool:
    return any(key.startswith("value") for key in element) or "dataAbsentReason" in element


def analyte_of(concept: Mapping[str, Any] | None, catalogue: Catalogue, language: str) -> tuple[str, str, str]:
    analytes = sorted(catalogue.analytes_of_concept(concept))
    if len(analytes) == 1:
        analyte = catalogue.analytes[analytes[0]]
        test = next((t for t in catalogue.tests.values() if t.analyte == analyte.id and t.orderable), None)
        name = analyte.name_en if language == "en" else analyte.name_fi
        return f"analyte:{analyte.id}", test.abbreviation if test else name, name
    codings = (concept or {}).get("coding") or [{}]
    first = codings[0]
    text = (concept or {}).get("text") or first.get("display") or first.get("code") or str(_("Unnamed test"))
    return f"code:{first.get('system', '')}|{first.get('code', text)}", str(text), str(first.get("display") or "")


def result_row(part: Mapping[str, Any], *, observation: Mapping[str, Any], moment: datetime | None) -> ResultRow:
    ranges = part.get("referenceRange") or (observation.get("referenceRange") if part is observation else None) or []
    low, high, range_text = _range(ranges[0] if ranges else {})
    value_text, number, unit = value_of(part)
    return ResultRow(
        observation_id=str(observation.get("id", "")),
        value_text=value_text,
        number=number,
        unit=unit,
        moment=moment,
        range_text=range_text,
        low=low,
        high=high,
        flag=_flag(part.get("interpretation") or [], number, low, high),
        status=str(observation.get("status", "")),
    )


def value_of(element: Mapping[str, Any]) -> tuple[str, float | None, str]:
    if "valueQuantity" in element:
        quantity = element["valueQuantity"] or {}
        raw = quantity.get("value")
        unit = str(quantity.get("unit") or quantity.get("code") or "")
        comparator = str(quantity.get("comparator") or "")
        number = float(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else None
        shown = number_text(number) if number is not None else str(raw if raw is not None else "")
        return f"{comparator}{shown}", (None if comparator else number), unit
    if "valueCodeableConcept" in element:
        concept = element["valueCodeableConcept"] or {}
        codings = concept.get("coding") or [{}]
        return str(concept.get("text") or codings[0].get("display") or codings[0].get("code") or ""), None, ""
    if "valueString" in element:
        return str(element["valueString"]), None, ""
    for key in ("valueInteger", "valueDecimal"):
        if key in element and isinstance(element[key], int | float):
            return number_text(float(element[key])), float(element[key]), ""
    if "valueBoolean" in element:
        return str(_("Yes") if element["valueBoolean"] else _("No")), None, ""
    absent = element.get("dataAbsentReason") or {}
    if absent:
        codings = absent.get("coding") or [{}]
        reason = absent.get("text") or codings[0].get("display") or codings[0].get("code") or ""
        return f"{_('No result')} ({reason})" if reason else str(_("No result")), None, ""
    return str(_("No result")), None, ""


def number_text(number: float) -> str:
    """As the user's language writes it: 6,1 in Finnish and Swedish, 6.1 in English; no trailing zeros."""
    plain = f"{number:.6f}".rstrip("0").rstrip(".")
    return str(number_format(Decimal(plain)))


def _range(reference: Mapping[str, Any]) -> tuple[float | None, float | None, str]:
    low = _bound(reference.get("low"))
    high = _bound(reference.get("high"))
    unit = str((reference.get("low") or reference.get("high") or {}).get("unit") or "")
    if reference.get("text"):
        text = str(reference["text"])
    elif low is not None and high is not None:
        text = f"{number_text(low)}–{number_text(high)}"
    elif low is not None:
        text = f"> {number_text(low)}"
    elif high is not None:
        text = f"< {number_text(high)}"
    else:
        text = ""
    return low, high, f"{text} {unit}".strip() if text and unit and unit not in text else text


def _bound(quantity: Any) -> float | None:
    if isinstance(quantity, dict) and isinstance(quantity.get("value"), int | float):
        return float(quantity["value"])
    return None


def _flag(interpretations: list[Any], number: float | None, low: float | None, high: float | None) -> Flag | None:
    for concept in interpretations:
        for coding in (concept or {}).get("coding") or []:
            code = str(coding.get("code") or "")
            if code in FLAGS:
                severity, label = FLAGS[code]
                return Flag(code=code, severity=severity, label=str(label))
        text = (concept or {}).get("text")
        if text:
            return Flag(code=str(text), severity="other", label=str(text))
    # No interpretation sent: compare with the laboratory's range.
    if number is not None and high is not None and number > high:
        return Flag(code="H", severity="abnormal", label=str(FLAGS["H"][1]))
    if number is not None and low is not None and number < low:
        return Flag(code="L", severity="abnormal", label=str(FLAGS["L"][1]))
    return None


def local_date(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(HELSINKI)
    return f"{local.day}.{local.month}.{local.year}"
