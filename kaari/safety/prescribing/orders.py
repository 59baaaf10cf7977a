"""Prescriptions as FHIR R4 MedicationRequests: the pure mapping from what the prescriber chose to the resource,
and back to what the screens show. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaari.safety.knowledge.model import Product

ATC_SYSTEM = "http://www.whocc.no/atc"
PRODUCT_SYSTEM = "https://kaari.fi/fhir/CodeSystem/medicine-product"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
COURSE_SYSTEM = "http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy"
STATUS_REASON_SYSTEM = "http://terminology.hl7.org/CodeSystem/medicationrequest-status-reason"
# When a medicine was stopped and when a current one was last reviewed and continued (R4 has no element for
# either; see README.md).
STOPPED_EXTENSION = "https://kaari.fi/fhir/StructureDefinition/medication-stopped"
REVIEWED_EXTENSION = "https://kaari.fi/fhir/StructureDefinition/medication-reviewed"

# SNOMED CT route of administration codes, as in the FHIR R4 example value set.
ROUTES: dict[str, tuple[str, Any]] = {
    "oral": ("26643006", gettext_lazy("Oral")),
    "sublingual": ("37839007", gettext_lazy("Sublingual")),
    "subcutaneous": ("34206005", gettext_lazy("Subcutaneous")),
    "intramuscular": ("78421000", gettext_lazy("Intramuscular")),
    "intravenous": ("47625008", gettext_lazy("Intravenous")),
    "inhalation": ("447694001", gettext_lazy("Inhalation")),
    "nasal": ("46713006", gettext_lazy("Nasal")),
    "ocular": ("54485002", gettext_lazy("Ocular")),
    "cutaneous": ("6064005", gettext_lazy("Cutaneous")),
    "transdermal": ("45890007", gettext_lazy("Transdermal")),
    "rectal": ("37161004", gettext_lazy("Rectal")),
    "vaginal": ("16857009", gettext_lazy("Vaginal")),
}
# Dose units: UCUM code and a label.
DOSE_UNITS: dict[str, tuple[str, Any]] = {
    "tablet": ("{tbl}", gettext_lazy("tablet(s)")),
    "capsule": ("{capsule}", gettext_lazy("capsule(s)")),
    "mg": ("mg", gettext_lazy("mg")),
    "ug": ("ug", gettext_lazy("µg")),
    "g": ("g", gettext_lazy("g")),
    "ml": ("mL", gettext_lazy("ml")),
    "iu": ("[iU]", gettext_lazy("IU")),
    "dose": ("{dose}", gettext_lazy("dose(s)")),
    "drop": ("{drop}", gettext_lazy("drop(s)")),
    "patch": ("{patch}", gettext_lazy("patch(es)")),
    "suppository": ("{suppository}", gettext_lazy("suppository(-ies)")),
    "application": ("{application}", gettext_lazy("application(s)")),
}
# How often: (frequency, period, period unit) of Timing.repeat; "prn" is as needed, without a schedule.
FREQUENCIES: dict[str, tuple[int, int, str, Any]] = {
    "1/d": (1, 1, "d", gettext_lazy("once a day")),
    "2/d": (2, 1, "d", gettext_lazy("twice a day")),
    "3/d": (3, 1, "d", gettext_lazy("three times a day")),
    "4/d": (4, 1, "d", gettext_lazy("four times a day")),
    "1/2d": (1, 2, "d", gettext_lazy("every other day")),
    "1/wk": (1, 1, "wk", gettext_lazy("once a week")),
    "prn": (0, 0, "", gettext_lazy("as needed")),
}
DURATION_UNITS: dict[str, tuple[int, Any]] = {
    "d": (1, gettext_lazy("days")),
    "wk": (7, gettext_lazy("weeks")),
    "mo": (30, gettext_lazy("months")),
}
# MedicationRequest status reasons (HL7 terminology), the ones that apply to stopping a medicine.
STOP_REASONS: dict[str, Any] = {
    "altchoice": gettext_lazy("Another treatment chosen"),
    "sintol": gettext_lazy("Suspected intolerance or adverse effect"),
    "salg": gettext_lazy("Allergy"),
    "sddi": gettext_lazy("Drug interaction"),
    "sdupther": gettext_lazy("Duplicate therapy"),
    "drughigh": gettext_lazy("Drug level too high"),
    "labint": gettext_lazy("Laboratory interference"),
    "preg": gettext_lazy("Pregnancy"),
    "surg": gettext_lazy("Surgery"),
    "hospadm": gettext_lazy("Admitted to hospital"),
    "washout": gettext_lazy("Washout"),
    "non-avail": gettext_lazy("Patient not available"),
}


@dataclass(frozen=True)
class Dosage:
    """What the prescriber chose. `duration` is None for a continuing medicine."""

    dose: Decimal
    dose_unit: str
    route: str
    frequency: str
    duration: int | None
    duration_unit: str
    instructions: str = ""

    @property
    def supply_days(self) -> int | None:
        return None if self.duration is None else self.duration * DURATION_UNITS[self.duration_unit][0]


def product_display(product: Product) -> str:
    return f"{product.name_fi.capitalize()} {product.strength} {product.form}"


def dosage_text(dosage: Dosage) -> str:
    """The instruction in words, in the prescriber's language, as FHIR's Dosage.text."""
    amount = f"{dosage.dose.normalize():f}".replace(".", ",")
    words = f"{amount} {DOSE_UNITS[dosage.dose_unit][1]} {FREQUENCIES[dosage.frequency][3]}"
    if dosage.duration is None:
        words += ", " + _("continuing")
    else:
        unit = DURATION_UNITS[dosage.duration_unit][1]
        words += ", " + _("for %(n)s %(unit)s") % {"n": dosage.duration, "unit": unit}
    if dosage.instructions:
        words += f". {dosage.instructions}"
    return words


def _quantity(value: float | Decimal, code: str, unit: str) -> dict[str, Any]:
    return {"value": float(value), "unit": unit, "system": UCUM, "code": code}


def _dosage_instruction(dosage: Dosage) -> dict[str, Any]:
    frequency, period, period_unit, _label = FREQUENCIES[dosage.frequency]
    unit_code, unit_label = DOSE_UNITS[dosage.dose_unit]
    route_code, route_label = ROUTES[dosage.route]
    instruction: dict[str, Any] = {
        "sequence": 1,
        "text": dosage_text(dosage),
        "route": {"coding": [{"system": SNOMED, "code": route_code, "display": str(route_label)}]},
        "doseAndRate": [{"doseQuantity": _quantity(dosage.dose, unit_code, str(unit_label))}],
    }
    repeat: dict[str, Any] = {}
    if dosage.frequency == "prn":
        instruction["asNeededBoolean"] = True
    else:
        repeat.update({"frequency": frequency, "period": period, "periodUnit": period_unit})
    if dosage.duration is not None:
        repeat["boundsDuration"] = _quantity(
            dosage.duration, dosage.duration_unit, str(DURATION_UNITS[dosage.duration_unit][1])
        )
    if repeat:
        instruction["timing"] = {"repeat": repeat}
    if dosage.instructions:
        instruction["patientInstruction"] = dosage.instructions
    return instruction


def prescription_build(
    *,
    patient_id: str,
    product: Product,
    dosage: Dosage,
    requester: dict[str, str],
    authored_on: datetime,
    prior_id: str | None = None,
) -> dict[str, Any]:
    """A draft MedicationRequest coded with ATC (and the catalogue product beside it)."""
    resource: dict[str, Any] = {
        "resourceType": "MedicationRequest",
        "status": "draft",
        "intent": "order",
        "medicationCodeableConcept": {
            "coding": [
                {"system": ATC_SYSTEM, "code": product.atc, "display": product.name_fi},
                {"system": PRODUCT_SYSTEM, "code": product.id, "display": product_display(product)},
            ],
            "text": product_display(product),
        },
        "subject": {"reference": f"Patient/{patient_id}"},
        "authoredOn": authored_on.isoformat(timespec="seconds"),
        "requester": requester,
        "courseOfTherapyType": {
            "coding": [{"system": COURSE_SYSTEM, "code": "continuous" if dosage.duration is None else "acute"}]
        },
        "dosageInstruction": [_dosage_instruction(dosage)],
    }
    if dosage.supply_days is not None:
        resource["dispenseRequest"] = {"expectedSupplyDuration": _quantity(dosage.supply_days, "d", "d")}
    if prior_id:
        resource["priorPrescription"] = {"reference": f"MedicationRequest/{prior_id}"}
    return resource


def stopped(
    resource: dict[str, Any], *, reason: str, note: str, on: date, author: dict[str, str], now: datetime
) -> dict[str, Any]:
    """The order stopped: status, the coded reason (with the prescriber's words) and the stop date."""
    changed = {**resource, "status": "stopped"}
    changed["statusReason"] = {
        "coding": [{"system": STATUS_REASON_SYSTEM, "code": reason, "display": str(STOP_REASONS.get(reason, reason))}],
        **({"text": note} if note else {}),
    }
    extensions = [e for e in resource.get("extension", []) if e.get("url") != STOPPED_EXTENSION]
    changed["extension"] = [*extensions, {"url": STOPPED_EXTENSION, "valueDate": on.isoformat()}]
    if note:
        changed["note"] = [*resource.get("note", []), _annotation(note, author, now)]
    return changed


def reviewed(resource: dict[str, Any], *, author: dict[str, str], now: datetime, text: str) -> dict[str, Any]:
    """The order reviewed in reconciliation and continued unchanged: who and when, as an extension the screens
    read and a note a person reads."""
    extensions = [e for e in resource.get("extension", []) if e.get("url") != REVIEWED_EXTENSION]
    review = {
        "url": REVIEWED_EXTENSION,
        "extension": [
            {"url": "date", "valueDateTime": now.isoformat(timespec="seconds")},
            {"url": "author", "valueReference": author},
        ],
    }
    return {
        **resource,
        "extension": [*extensions, review],
        "note": [*resource.get("note", []), _annotation(text, author, now)],
    }


def _annotation(text: str, author: dict[str, str], now: datetime) -> dict[str, Any]:
    return {"authorReference": author, "time": now.isoformat(timespec="seconds"), "text": text}


@dataclass(frozen=True)
class OrderLine:
    """A MedicationRequest as the medication list shows it."""

    id: str
    display: str
    atc: str
    dosage: str
    status: str
    authored_on: str
    requester: str
    reviewed_on: str
    prior_id: str


def _extension(resource: dict[str, Any], url: str) -> dict[str, Any]:
    return next((e for e in resource.get("extension", []) if isinstance(e, dict) and e.get("url") == url), {})


def order_line(resource: dict[str, Any]) -> OrderLine:
    concept = resource.get("medicationCodeableConcept") or {}
    codings = [c for c in concept.get("coding", []) if isinstance(c, dict)]
    atc = next((str(c.get("code", "")) for c in codings if c.get("system") == ATC_SYSTEM), "")
    display = str(concept.get("text") or next((c.get("display") for c in codings if c.get("display")), atc))
    dosages = [d for d in resource.get("dosageInstruction", []) if isinstance(d, dict)]
    review = _extension(resource, REVIEWED_EXTENSION).get("extension", [])
    reviewed_on = next((str(e.get("valueDateTime", ""))[:10] for e in review if e.get("url") == "date"), "")
    return OrderLine(
        id=str(resource.get("id", "")),
        display=display,
        atc=atc,
        dosage="; ".join(str(d.get("text", "")) for d in dosages if d.get("text")),
        status=str(resource.get("status", "")),
        authored_on=str(resource.get("authoredOn", ""))[:10],
        requester=str((resource.get("requester") or {}).get("display", "")),
        reviewed_on=reviewed_on,
        prior_id=str((resource.get("priorPrescription") or {}).get("reference", "")).removeprefix("MedicationRequest/"),
    )
