"""What the medication rules see: the orders being checked and the patient's current medicines, allergies,
kidney function, age and sex, distilled from FHIR R4 resource dicts. Building it is the only place that reads
FHIR; the rules read only this."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from kaari.safety.knowledge import KnowledgeBase, knowledge_base

ATC_SYSTEM = "http://www.whocc.no/atc"
LOINC_SYSTEM = "http://loinc.org"

# LOINC terms for a GFR estimated per 1.73 m2 ("Glomerular filtration rate/1.73 sq M.predicted", creatinine- or
# cystatin-based): all are eGFR, none a measured or Cockcroft-Gault clearance, so they share one threshold scale.
EGFR_LOINC = frozenset(
    {
        "33914-3",  # MDRD, serum or plasma
        "62238-1",  # CKD-EPI (creatinine)
        "98979-8",  # CKD-EPI 2021 (creatinine), race-free
        "48642-3",  # MDRD, among non-blacks
        "48643-1",  # MDRD, among blacks
        "50044-7",  # MDRD, among females
        "69405-9",  # method not specified
        "77147-7",  # MDRD (serum, plasma or blood)
        "88293-6",  # CKD-EPI, among blacks
        "88294-4",  # CKD-EPI, among non-blacks
        "94677-2",  # CKD-EPI creatinine and cystatin C
        "98980-6",  # CKD-EPI 2021 creatinine and cystatin C
        "50210-4",  # cystatin C based
    }
)
CREATININE_LOINC = frozenset({"2160-0", "14682-9", "38483-4", "59826-8"})
WEIGHT_LOINC = frozenset({"29463-7", "3141-9"})
_ACTIVE_REQUEST = frozenset({"active", "on-hold"})
_ACTIVE_STATEMENT = frozenset({"active", "intended", "on-hold"})
_VOID_OBSERVATION = frozenset({"cancelled", "entered-in-error"})
_ATC_CODE = re.compile(r"[A-Z]\d\d[A-Z][A-Z](\d\d)?")


@dataclass(frozen=True, slots=True)
class Medication:
    """One medicine order or statement. `key` is its relative reference ("MedicationRequest/42")."""

    key: str
    resource_type: str
    resource_id: str | None
    codes: tuple[str, ...]
    substances: tuple[str, ...]
    display: str
    draft: bool
    as_needed: bool
    resource: dict[str, Any] = field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Allergy:
    key: str
    codes: tuple[str, ...]
    substances: tuple[str, ...]
    display: str
    confirmed: bool
    intolerance: bool


@dataclass(frozen=True, slots=True)
class LabValue:
    value: float
    unit: str
    comparator: str | None
    when: datetime | None
    code: str


@dataclass(frozen=True, slots=True)
class MedicationContext:
    """`drafts` are the orders being checked; `current` the patient's active medicines and any other drafts of
    the same session. In a review (patient-view) there are no drafts and every current medicine is checked."""

    drafts: tuple[Medication, ...]
    current: tuple[Medication, ...]
    allergies: tuple[Allergy, ...] = ()
    egfr: LabValue | None = None
    creatinine_umol_l: LabValue | None = None
    weight_kg: LabValue | None = None
    age: int | None = None
    sex: str | None = None
    review: bool = False

    @property
    def subjects(self) -> tuple[Medication, ...]:
        return self.current if self.review else self.drafts

    @property
    def medications(self) -> tuple[Medication, ...]:
        return (*self.drafts, *self.current)

    def cockcroft_gault(self) -> float | None:
        """Creatinine clearance (mL/min) by Cockcroft-Gault with actual body weight, or None without the data."""
        if self.age is None or self.sex not in ("female", "male"):
            return None
        if self.creatinine_umol_l is None or self.weight_kg is None or self.creatinine_umol_l.value <= 0:
            return None
        clearance = (140 - self.age) * self.weight_kg.value / (0.815 * self.creatinine_umol_l.value)
        return clearance * (0.85 if self.sex == "female" else 1.0)


def _codings(concept: Any) -> list[dict[str, Any]]:
    if not isinstance(concept, dict):
        return []
    return [c for c in concept.get("coding", []) if isinstance(c, dict)]


def _atc_codes(concept: Any) -> list[str]:
    codes = []
    for coding in _codings(concept):
        code = str(coding.get("code", "")).strip().upper()
        if coding.get("system") == ATC_SYSTEM and (_ATC_CODE.fullmatch(code) or len(code) in (1, 3, 4)):
            codes.append(code)
    return codes


def _display(concept: Any, codes: list[str], kb: KnowledgeBase) -> str:
    if isinstance(concept, dict):
        if concept.get("text"):
            return str(concept["text"])
        for coding in _codings(concept):
            if coding.get("display"):
                return str(coding["display"])
    return " + ".join(kb.name(code) for code in codes) if codes else "unknown medicine"


def _medication_concept(resource: dict[str, Any], medications: dict[str, dict[str, Any]]) -> tuple[Any, list[str]]:
    """The coded medicine of a request or statement: inline, in a contained Medication, or a referenced one."""
    concept = resource.get("medicationCodeableConcept")
    codes = _atc_codes(concept)
    if codes:
        return concept, codes
    reference = (resource.get("medicationReference") or {}).get("reference", "")
    medication: dict[str, Any] | None = None
    if reference.startswith("#"):
        medication = next(
            (
                c
                for c in resource.get("contained", [])
                if c.get("resourceType") == "Medication" and c.get("id") == reference[1:]
            ),
            None,
        )
    elif reference.startswith("Medication/"):
        medication = medications.get(reference.split("/", 1)[1])
    if medication is None:
        return concept, []
    codes = _atc_codes(medication.get("code"))
    if not codes:
        for ingredient in medication.get("ingredient", []):
            codes.extend(_atc_codes(ingredient.get("itemCodeableConcept")))
    return medication.get("code") or concept, codes


def _as_needed(resource: dict[str, Any]) -> bool:
    dosages = resource.get("dosageInstruction") or resource.get("dosage") or []
    return any(
        d.get("asNeededBoolean") is True or "asNeededCodeableConcept" in d for d in dosages if isinstance(d, dict)
    )


def _medication(
    resource: dict[str, Any], *, draft: bool, medications: dict[str, dict[str, Any]], kb: KnowledgeBase
) -> Medication | None:
    concept, codes = _medication_concept(resource, medications)
    if not codes:
        return None  # Not coded with ATC: nothing Kaari's knowledge can say about it.
    substances: list[str] = []
    for code in codes:
        substances.extend((code, *kb.substances(code)))
    resource_type = str(resource.get("resourceType", "MedicationRequest"))
    resource_id = resource.get("id")
    return Medication(
        key=f"{resource_type}/{resource_id}" if resource_id else f"{resource_type}/#{id(resource)}",
        resource_type=resource_type,
        resource_id=resource_id,
        codes=tuple(dict.fromkeys(codes)),
        substances=tuple(dict.fromkeys(substances)),
        display=_display(concept, codes, kb),
        draft=draft,
        as_needed=_as_needed(resource),
        resource=resource,
    )


def _parse_when(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value if len(value) > 10 else f"{value[:10]}T00:00:00+00:00")
    except ValueError:
        try:
            parsed = datetime.fromisoformat(f"{value[:10]}T00:00:00+00:00")
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.now().astimezone().tzinfo)


def _observation_time(observation: dict[str, Any]) -> datetime | None:
    period = observation.get("effectivePeriod") or {}
    for value in (
        observation.get("effectiveDateTime"),
        observation.get("effectiveInstant"),
        period.get("end"),
        period.get("start"),
        observation.get("issued"),
    ):
        when = _parse_when(value)
        if when is not None:
            return when
    return None


def _latest(observations: list[dict[str, Any]], loinc: frozenset[str]) -> LabValue | None:
    best: LabValue | None = None
    for observation in observations:
        if observation.get("status") in _VOID_OBSERVATION:
            continue
        code = next(
            (
                str(c.get("code"))
                for c in _codings(observation.get("code"))
                if c.get("system") == LOINC_SYSTEM and c.get("code") in loinc
            ),
            None,
        )
        quantity = observation.get("valueQuantity") or {}
        value = quantity.get("value")
        if code is None or isinstance(value, bool) or not isinstance(value, int | float):
            continue
        found = LabValue(
            value=float(value),
            unit=str(quantity.get("code") or quantity.get("unit") or ""),
            comparator=quantity.get("comparator"),
            when=_observation_time(observation),
            code=code,
        )
        if best is None or (found.when is not None and (best.when is None or found.when > best.when)):
            best = found
    return best


def _creatinine_umol_l(value: LabValue | None) -> LabValue | None:
    """Creatinine in µmol/L; LOINC 2160-0 and 38483-4 are mass concentrations (mg/dL)."""
    if value is None:
        return None
    unit = value.unit.replace("µ", "u").lower()
    factor = 1.0
    if unit == "mg/dl" or (not unit and value.code in ("2160-0", "38483-4")):
        factor = 88.42
    elif unit == "mmol/l":
        factor = 1000.0
    elif unit not in ("umol/l", ""):
        return None
    return LabValue(value.value * factor, "umol/L", value.comparator, value.when, value.code)


def _weight_kg(value: LabValue | None) -> LabValue | None:
    if value is None:
        return None
    factor = {"kg": 1.0, "g": 0.001, "[lb_av]": 0.45359237, "lb": 0.45359237, "": 1.0}.get(value.unit.lower())
    if factor is None:
        return None
    return LabValue(value.value * factor, "kg", value.comparator, value.when, value.code)


def _age(birth_date: Any, today: date) -> int | None:
    if not isinstance(birth_date, str) or len(birth_date) < 4:
        return None
    try:
        year = int(birth_date[:4])
        month = int(birth_date[5:7]) if len(birth_date) >= 7 else 7
        day = int(birth_date[8:10]) if len(birth_date) >= 10 else 1
    except ValueError:
        return None
    return today.year - year - ((today.month, today.day) < (month, day))


def _status_code(concept: Any) -> str | None:
    codings = _codings(concept)
    return str(codings[0].get("code")) if codings else None


def _allergy(resource: dict[str, Any], kb: KnowledgeBase) -> Allergy | None:
    if _status_code(resource.get("clinicalStatus")) in ("inactive", "resolved"):
        return None
    verification = _status_code(resource.get("verificationStatus"))
    if verification in ("refuted", "entered-in-error"):
        return None
    codes = _atc_codes(resource.get("code"))
    for reaction in resource.get("reaction", []):
        codes.extend(_atc_codes(reaction.get("substance")))
    if not codes:
        return None
    substances = [s for code in codes for s in (code, *kb.substances(code))]
    return Allergy(
        key=f"AllergyIntolerance/{resource.get('id', '')}",
        codes=tuple(dict.fromkeys(codes)),
        substances=tuple(dict.fromkeys(substances)),
        display=_display(resource.get("code"), codes, kb),
        confirmed=verification == "confirmed",
        intolerance=resource.get("type") == "intolerance",
    )


def _statement_current(resource: dict[str, Any], today: date) -> bool:
    if resource.get("status") not in _ACTIVE_STATEMENT:
        return False
    end = _parse_when((resource.get("effectivePeriod") or {}).get("end"))
    return end is None or end.date() >= today


def medication_context_build(
    *,
    resources: Iterable[dict[str, Any]],
    draft_orders: Iterable[dict[str, Any]] = (),
    selections: Collection[str] | None = None,
    review: bool = False,
    today: date | None = None,
    knowledge: KnowledgeBase | None = None,
) -> MedicationContext:
    """Build the context from the patient's resources and the draft orders of a CDS Hooks call.

    `selections` (order-select) names the drafts to check, as ids or "MedicationRequest/id"; the other drafts then
    count as current medicines. A draft that replaces an active order (same id, or `priorPrescription`) hides it.
    """
    kb = knowledge or knowledge_base()
    today = today or date.today()
    resources = [r for r in resources if isinstance(r, dict)]
    medications = {str(r.get("id")): r for r in resources if r.get("resourceType") == "Medication"}
    drafts_raw = [r for r in draft_orders if isinstance(r, dict) and r.get("resourceType") == "MedicationRequest"]
    replaced = {f"MedicationRequest/{r.get('id')}" for r in drafts_raw if r.get("id")}
    replaced |= {(r.get("priorPrescription") or {}).get("reference", "") for r in drafts_raw}

    chosen: list[Medication] = []
    others: list[Medication] = []
    for resource in drafts_raw:
        medication = _medication(resource, draft=True, medications=medications, kb=kb)
        if medication is None:
            continue
        selected = selections is None or medication.resource_id in selections or medication.key in selections
        (chosen if selected else others).append(medication)

    current = list(others)
    for resource in resources:
        kind = resource.get("resourceType")
        active = (kind == "MedicationRequest" and resource.get("status") in _ACTIVE_REQUEST) or (
            kind == "MedicationStatement" and _statement_current(resource, today)
        )
        if not active or f"{kind}/{resource.get('id')}" in replaced:
            continue
        medication = _medication(resource, draft=False, medications=medications, kb=kb)
        if medication is not None:
            current.append(medication)

    observations = [r for r in resources if r.get("resourceType") == "Observation"]
    patient = next((r for r in resources if r.get("resourceType") == "Patient"), {})
    gender = patient.get("gender")
    return MedicationContext(
        drafts=() if review else tuple(chosen),
        current=tuple(current),
        allergies=tuple(
            a for r in resources if r.get("resourceType") == "AllergyIntolerance" if (a := _allergy(r, kb)) is not None
        ),
        egfr=_latest(observations, EGFR_LOINC),
        creatinine_umol_l=_creatinine_umol_l(_latest(observations, CREATININE_LOINC)),
        weight_kg=_weight_kg(_latest(observations, WEIGHT_LOINC)),
        age=_age(patient.get("birthDate"), today),
        sex=gender if gender in ("female", "male") else None,
        review=review,
    )
