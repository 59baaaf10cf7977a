"""ORU^R01 to FHIR R4: an Observation per OBX, a DiagnosticReport per OBR, linked to the order.

The result is a transaction Bundle whose references to the patient and the order are either
literal (Kaari ids) or conditional (identifiers), for the store to resolve when it commits.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from kaari.labs.catalogue import LAB_TEST_SYSTEM, Catalogue, LabTest, Orderable
from kaari.labs.hl7.errors import (
    DATA_TYPE_ERROR,
    REQUIRED_FIELD_MISSING,
    TABLE_VALUE_NOT_FOUND,
    UNKNOWN_KEY_IDENTIFIER,
    Hl7Error,
)
from kaari.labs.hl7.parse import Coded, Identifier, ObrGroup, ObxSegment, OruMessage
from kaari.labs.hl7.timestamps import TimestampError, v2_timestamp_to_fhir
from kaari.labs.hl7.units import ucum_of
from kaari.labs.loinc import LOINC_SYSTEM

HETU_SYSTEM = "urn:oid:1.2.246.21"
HETU_OID = "1.2.246.21"
KAARI_NAMESPACE = "KAARI"
INTERPRETATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
LOCAL_CODE_SYSTEM = "https://kaari.fi/fhir/CodeSystem/hl7-local"
IDENTIFIER_SYSTEM = "https://kaari.fi/fhir/NamingSystem/hl7"
HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_HETU = re.compile(r"^(\d{6})([+\-YXWVUABCDEF])(\d{3})([0-9A-Y])$")

# HL7 table 0078 abnormal flags that have the same code in v3 ObservationInterpretation.
INTERPRETATION_CODES = frozenset(
    {"L", "H", "LL", "HH", "<", ">", "N", "A", "AA", "U", "D", "B", "W", "S", "R", "I", "MS", "VS", "NEG", "POS"}
)
# HL7 table 0085 (OBX-11) to Observation.status, as in the HL7 v2-to-FHIR concept map.
OBSERVATION_STATUS = {
    "F": "final", "C": "corrected", "P": "preliminary", "R": "preliminary", "S": "preliminary",
    "U": "final", "A": "amended", "I": "registered", "O": "registered", "X": "cancelled",
    "D": "entered-in-error", "W": "entered-in-error", "N": "cancelled",
}  # fmt: skip
# HL7 table 0123 (OBR-25) to DiagnosticReport.status.
REPORT_STATUS = {
    "F": "final", "C": "corrected", "P": "preliminary", "R": "partial", "S": "partial", "A": "partial",
    "I": "registered", "O": "registered", "X": "cancelled", "Y": "final", "Z": "final",
}  # fmt: skip
_RANGE = re.compile(r"^\s*([<>]=?)?\s*(-?\d+(?:[.,]\d+)?)\s*(?:-|–|\.\.)?\s*(-?\d+(?:[.,]\d+)?)?\s*$")


def hetu_is_valid(*, value: str) -> bool:
    match = _HETU.match(value)
    if not match:
        return False
    number = int(match.group(1) + match.group(3))
    return HETU_CHECK[number % 31] == match.group(4)


def patient_reference(*, message: OruMessage) -> dict[str, str]:
    """Kaari's own Patient id when the sender echoes it, otherwise the personal identity code."""
    for identifier in message.patient_identifiers:
        if identifier.namespace.upper() == KAARI_NAMESPACE and identifier.value:
            return {"reference": f"Patient/{identifier.value}"}
    for identifier in message.patient_identifiers:
        if _is_hetu(identifier):
            if not hetu_is_valid(value=identifier.value):
                raise Hl7Error("AE", DATA_TYPE_ERROR, f"PID-3 {identifier.value} is not a valid HETU", "PID^1^3")
            return {"reference": f"Patient?identifier={HETU_SYSTEM}|{identifier.value}"}
    raise Hl7Error("AE", UNKNOWN_KEY_IDENTIFIER, "PID-3 has neither a HETU nor a Kaari patient id", "PID^1^3")


def _is_hetu(identifier: Identifier) -> bool:
    return (
        identifier.universal_id == HETU_OID
        or identifier.namespace.upper() == "HETU"
        or identifier.type_code.upper() == "NNFIN"
    )


def order_reference(*, placer: Identifier | None) -> dict[str, str] | None:
    """OBR-2: the ServiceRequest id when Kaari placed the order, otherwise its identifier."""
    if placer is None:
        return None
    if placer.namespace.upper() == KAARI_NAMESPACE:
        return {"reference": f"ServiceRequest/{placer.value}"}
    return {"reference": f"ServiceRequest?identifier={_identifier_system(placer)}|{placer.value}"}


def _identifier_system(identifier: Identifier) -> str:
    if identifier.universal_id and identifier.universal_id_type.upper() == "ISO":
        return f"urn:oid:{identifier.universal_id}"
    return f"{IDENTIFIER_SYSTEM}/{identifier.namespace or 'unknown'}"


def oru_to_bundle(*, message: OruMessage, catalogue: Catalogue) -> dict[str, Any]:
    """A FHIR transaction Bundle, or Hl7Error (AE) when a result cannot be represented faithfully."""
    subject = patient_reference(message=message)
    entries: list[dict[str, Any]] = []
    for order in message.orders:
        based_on = order_reference(placer=order.placer)
        observation_urls = []
        for obx in order.observations:
            observation = _observation(obx, order, message, catalogue, subject, based_on)
            url = f"urn:uuid:{uuid.uuid4()}"
            observation_urls.append(url)
            entries.append(_entry(url, observation))
        report = _report(order, message, catalogue, subject, based_on, observation_urls)
        entries.append(_entry(f"urn:uuid:{uuid.uuid4()}", report))
    return {"resourceType": "Bundle", "type": "transaction", "entry": entries}


def _entry(url: str, resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": url, "resource": resource, "request": {"method": "POST", "url": resource["resourceType"]}}


def _time(value: str, message: OruMessage, location: str) -> str | None:
    if not value:
        return None
    try:
        return v2_timestamp_to_fhir(value=value, sender_offset=message.sender_offset)
    except TimestampError as exc:
        raise Hl7Error("AE", DATA_TYPE_ERROR, str(exc), location) from exc


def _instant(value: str, message: OruMessage, location: str) -> str | None:
    moment = _time(value, message, location)
    # Observation.issued is an instant: only a timestamp with a time of day qualifies.
    return moment if moment and "T" in moment else None


def _code(coded: Coded, catalogue: Catalogue, sender: str, location: str) -> tuple[dict[str, Any], Orderable | None]:
    codings: list[dict[str, Any]] = []
    orderable: Orderable | None = None
    for code, text, system in (
        (coded.code, coded.text, coded.system),
        (coded.alt_code, coded.alt_text, coded.alt_system),
    ):
        if not code:
            continue
        if system.upper() == "LN":
            codings.append({"system": LOINC_SYSTEM, "code": code, **({"display": text} if text else {})})
            orderable = orderable or catalogue.orderable_for_coding(system=LOINC_SYSTEM, code=code)
        else:
            codings.append(
                {
                    "system": f"{LOCAL_CODE_SYSTEM}/{system or sender}",
                    "code": code,
                    **({"display": text} if text else {}),
                }
            )
            local = catalogue.orderable_for_local_code(coding_system=system or sender, code=code, text=text)
            if local is not None and orderable is None:
                orderable = local
                codings[:0] = [{"system": LOINC_SYSTEM, "code": c} for c in _loinc_codes(local)[:1]]
    if orderable is not None:
        codings.append({"system": LAB_TEST_SYSTEM, "code": orderable.abbreviation, "display": orderable.name_fi})
    elif not any(c["system"] == LOINC_SYSTEM for c in codings):
        raise Hl7Error(
            "AE",
            TABLE_VALUE_NOT_FOUND,
            f"test {coded.code} ({coded.text or coded.system}) is neither LOINC nor in the local code map",
            location,
        )
    return {"coding": codings, "text": coded.text or (orderable.abbreviation if orderable else coded.code)}, orderable


def _loinc_codes(orderable: Orderable) -> list[str]:
    if isinstance(orderable, LabTest):
        return [orderable.loinc] if orderable.loinc else []
    return list(orderable.loinc)


def _observation(
    obx: ObxSegment,
    order: ObrGroup,
    message: OruMessage,
    catalogue: Catalogue,
    subject: dict[str, str],
    based_on: dict[str, str] | None,
) -> dict[str, Any]:
    where = f"OBX^{obx.position}"
    code, orderable = _code(obx.code, catalogue, message.sending_application, f"{where}^3")
    status = OBSERVATION_STATUS.get(obx.status)
    if status is None:
        raise Hl7Error("AE", TABLE_VALUE_NOT_FOUND, f"OBX-11 result status {obx.status or 'missing'}", f"{where}^11")
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "status": status,
        "category": [{"coding": [{"system": CATEGORY_SYSTEM, "code": "laboratory"}]}],
        "code": code,
        "subject": subject,
    }
    if based_on:
        resource["basedOn"] = [based_on]
    effective = _time(obx.observed_at, message, f"{where}^14") or _time(
        order.observed_at, message, f"OBR^{order.position}^7"
    )
    if effective:
        resource["effectiveDateTime"] = effective
    issued = _instant(obx.analysed_at, message, f"{where}^19") or _instant(
        order.reported_at, message, f"OBR^{order.position}^22"
    )
    if issued:
        resource["issued"] = issued
    unit = obx.units
    resource.update(_value(obx, unit, where))
    if obx.reference_range:
        resource["referenceRange"] = [_reference_range(obx.reference_range, unit)]
    interpretation = _interpretation(obx.abnormal_flags)
    if interpretation:
        resource["interpretation"] = interpretation
    if message.sending_facility:
        resource["performer"] = [{"display": message.sending_facility}]
    if isinstance(orderable, LabTest) and not orderable.loinc and orderable.loinc_pending:
        resource.setdefault("note", []).append({"text": "LOINC mapping pending in the catalogue"})
    return resource


def _value(obx: ObxSegment, unit: Coded, where: str) -> dict[str, Any]:
    if not obx.values or not any(any(part for part in value) for value in obx.values):
        if obx.status in ("X", "N", "D", "W", "I", "O"):
            return {"dataAbsentReason": {"text": "no result"}}
        raise Hl7Error("AE", REQUIRED_FIELD_MISSING, "OBX-5 has no value", f"{where}^5")
    first = obx.values[0]
    kind = obx.value_type.upper()
    if kind in ("NM", "SN"):
        return {"valueQuantity": _quantity(first, unit, kind, where)}
    if kind in ("ST", "TX", "FT"):
        return {"valueString": "\n".join("".join(v) for v in obx.values)}
    if kind in ("CE", "CWE", "CNE"):
        parts = list(first) + ["", "", ""]
        coding: dict[str, Any] = {"code": parts[0], **({"display": parts[1]} if parts[1] else {})}
        system = parts[2].upper()
        coding["system"] = {"LN": LOINC_SYSTEM, "SCT": "http://snomed.info/sct"}.get(
            system, f"{LOCAL_CODE_SYSTEM}/{parts[2] or 'unknown'}"
        )
        return {"valueCodeableConcept": {"coding": [coding], "text": parts[1] or parts[0]}}
    raise Hl7Error("AE", DATA_TYPE_ERROR, f"OBX-2 value type {kind or 'missing'} is not supported", f"{where}^2")


def _number(text: str, where: str) -> float | int:
    cleaned = text.strip().replace(",", ".")
    try:
        number = float(cleaned)
    except ValueError as exc:
        raise Hl7Error("AE", DATA_TYPE_ERROR, f"OBX-5 {text!r} is not a number", f"{where}^5") from exc
    return int(number) if re.fullmatch(r"-?\d+", cleaned) else number


def _quantity(value: tuple[str, ...], unit: Coded, kind: str, where: str) -> dict[str, Any]:
    comparator = ""
    if kind == "SN":
        # SN: comparator ^ number ^ separator/suffix ^ number; a range or ratio is not a single quantity.
        parts = list(value) + ["", "", ""]
        if parts[2]:
            raise Hl7Error("AE", DATA_TYPE_ERROR, "OBX-5 SN ranges and ratios are not supported", f"{where}^5")
        comparator, number_text = parts[0], parts[1]
    else:
        match = re.match(r"^\s*(<=|>=|<|>)?\s*(.*)$", value[0])
        assert match is not None
        comparator, number_text = match.group(1) or "", match.group(2)
    quantity: dict[str, Any] = {"value": _number(number_text, where)}
    if comparator:
        quantity["comparator"] = comparator
    quantity.update(_unit(unit))
    return quantity


def _unit(unit: Coded) -> dict[str, Any]:
    if not unit.code and not unit.text:
        return {}
    shown = unit.text or unit.code
    ucum = unit.code if unit.system.upper() == "UCUM" else ucum_of(unit.code or unit.text)
    result: dict[str, Any] = {"unit": shown}
    if ucum:
        result.update({"system": "http://unitsofmeasure.org", "code": ucum})
    return result


def _reference_range(text: str, unit: Coded) -> dict[str, Any]:
    result: dict[str, Any] = {"text": text}
    match = _RANGE.match(text)
    if not match:
        return result
    comparator, first, second = match.groups()
    bounds = _unit(unit)

    def quantity(number: str) -> dict[str, Any]:
        return {"value": float(number.replace(",", ".")), **bounds}

    if comparator and comparator.startswith("<"):
        result["high"] = quantity(first)
    elif comparator and comparator.startswith(">"):
        result["low"] = quantity(first)
    elif second is not None:
        result["low"], result["high"] = quantity(first), quantity(second)
    return result


def _interpretation(flags: tuple[str, ...]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    for flag in flags:
        if flag in INTERPRETATION_CODES:
            result.append({"coding": [{"system": INTERPRETATION_SYSTEM, "code": flag}]})
        elif flag:
            result.append({"text": flag})
    return result


def _report(
    order: ObrGroup,
    message: OruMessage,
    catalogue: Catalogue,
    subject: dict[str, str],
    based_on: dict[str, str] | None,
    observation_urls: list[str],
) -> dict[str, Any]:
    where = f"OBR^{order.position}"
    status = REPORT_STATUS.get(order.status or "F")
    if status is None:
        raise Hl7Error("AE", TABLE_VALUE_NOT_FOUND, f"OBR-25 result status {order.status}", f"{where}^25")
    code, _ = _code(order.service, catalogue, message.sending_application, f"{where}^4")
    report: dict[str, Any] = {
        "resourceType": "DiagnosticReport",
        "status": status,
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0074", "code": "LAB"}]}],
        "code": code,
        "subject": subject,
        "result": [{"reference": url} for url in observation_urls],
    }
    identifiers: list[dict[str, Any]] = []
    for identifier, type_code in ((order.placer, "PLAC"), (order.filler, "FILL")):
        if identifier is not None:
            identifiers.append(
                {
                    "type": {
                        "coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": type_code}]
                    },
                    "system": _identifier_system(identifier),
                    "value": identifier.value,
                }
            )
    if identifiers:
        report["identifier"] = identifiers
    if based_on:
        report["basedOn"] = [based_on]
    effective = _time(order.observed_at, message, f"{where}^7")
    if effective:
        report["effectiveDateTime"] = effective
    issued = _instant(order.reported_at, message, f"{where}^22")
    if issued:
        report["issued"] = issued
    if message.sending_facility:
        report["performer"] = [{"display": message.sending_facility}]
    return report
