"""One resident's record under construction: ids, and the FHIR shapes of service events and their costs.

Every service event is an Encounter with exactly one ChargeItem. The ChargeItem carries the cost on itself
(`priceOverride` = unit cost x quantity, `overrideReason` names the unit cost and its source) and two codings: the
unit-cost item and the service type, so analytics can sum per resident and per service without a price list.
"""

from __future__ import annotations

import base64
import random
from dataclasses import dataclass
from typing import Any

from kaari.synth import fhir, knowledge
from kaari.synth.clock import iso_date, iso_datetime
from kaari.synth.fhir import HEALTH, Resource
from kaari.synth.organizations import County, Unit
from kaari.synth.people import Person

CLASS_DISPLAY = {
    "AMB": "ambulatory",
    "EMER": "emergency",
    "IMP": "inpatient encounter",
    "HH": "home health",
    "NONAC": "inpatient non-acute",
    "VR": "virtual",
    "FLD": "field",
}
BASIS_TEXT = {
    "national-2024": "kansallinen yksikkökustannus 2024 (VM/STM/THL)",
    "estimate": "mallinnettu yksikkökustannus 2024 (THL:n yksikkökustannusraporttien mukainen arvio)",
}


@dataclass
class Visit:
    """What happened, before it becomes resources."""

    day: int
    minute: int
    unit: Unit
    item: str
    practitioner: str
    cls: str = "AMB"
    end_day: int | None = None
    end_minute: int | None = None
    quantity: float = 1
    reason: tuple[str, str] | None = None
    condition: str | None = None
    episode: str | None = None
    register: str = HEALTH
    status: str = "finished"
    disposition: str | None = None


DISPOSITION = {"home": "Home", "exp": "Expired", "other-hcf": "Other healthcare facility"}


class Record:
    def __init__(self, *, person: Person, county: County, rng: random.Random, start: int, today: int) -> None:
        self.person = person
        self.county = county
        self.rng = rng
        self.start = start
        self.today = today
        self.end = today
        self.out: list[Resource] = []
        self._seq = 0
        self.pid = person.ident
        self.subject = person.ident
        centres = county.health_centres[person.municipality.code]
        self.centre = centres[int(rng.random() * len(centres))]
        self.gp = self.centre.pick("physician", rng)
        self.nurse = self.centre.pick("nurse", rng)
        self.area = person.municipality.area
        self.costs = knowledge.unit_costs()
        self.service_types = knowledge.service_types()

    def ident(self, prefix: str) -> str:
        self._seq += 1
        return f"{prefix}-{self.person.number:07d}-{self._seq}"

    def patient_ref(self) -> dict[str, str]:
        return {"reference": f"Patient/{self.pid}"}

    def encounter_add(self, visit: Visit) -> str:
        enc_id = self.ident("enc")
        cost = self.costs[visit.item]
        start = iso_datetime(visit.day, visit.minute)
        end_day = visit.day if visit.end_day is None else visit.end_day
        end_minute = visit.minute + 20 if visit.end_minute is None else visit.end_minute
        end = iso_datetime(end_day, min(end_minute, 1439))
        unit_ref = {"reference": f"Organization/{visit.unit.ident}"}
        service_type = self.service_types[cost.service_type]
        encounter: Resource = {
            "resourceType": "Encounter",
            "id": enc_id,
            "meta": fhir.meta_client(register=visit.register, keeper=visit.unit.ident),
            "status": "finished",
            "class": {"system": fhir.ACT_CODE, "code": visit.cls, "display": CLASS_DISPLAY[visit.cls]},
            "type": [fhir.concept(fhir.UNIT_COST_SYSTEM, visit.item, cost.fi)],
            "serviceType": fhir.concept(fhir.SERVICE_TYPE_SYSTEM, cost.service_type, service_type),
            "subject": self.patient_ref(),
            "participant": [{"individual": {"reference": f"Practitioner/{visit.practitioner}"}}],
            "period": {"start": start, "end": end},
            "serviceProvider": unit_ref,
        }
        if visit.episode:
            encounter["episodeOfCare"] = [{"reference": f"EpisodeOfCare/{visit.episode}"}]
        if visit.reason:
            encounter["reasonCode"] = [fhir.concept(fhir.ICD10, visit.reason[0], visit.reason[1])]
        if visit.condition:
            encounter["diagnosis"] = [{"condition": {"reference": f"Condition/{visit.condition}"}, "rank": 1}]
        if visit.disposition:
            encounter["hospitalization"] = {
                "dischargeDisposition": fhir.concept(
                    "http://terminology.hl7.org/CodeSystem/discharge-disposition",
                    visit.disposition,
                    DISPOSITION[visit.disposition],
                )
            }
        if visit.status != "finished":
            encounter["status"] = visit.status
            del encounter["period"]["end"]
        self.out.append(encounter)
        quantity = visit.quantity
        total = round(cost.eur * quantity, 2)
        charge: Resource = {
            "resourceType": "ChargeItem",
            "id": self.ident("chg"),
            "meta": fhir.meta_client(register=visit.register, keeper=visit.unit.ident),
            "status": "billable",
            "code": {
                "coding": [
                    {"system": fhir.UNIT_COST_SYSTEM, "code": visit.item, "display": cost.fi},
                    {"system": fhir.SERVICE_TYPE_SYSTEM, "code": cost.service_type, "display": service_type},
                ],
                "text": cost.fi,
            },
            "subject": self.patient_ref(),
            "context": {"reference": f"Encounter/{enc_id}"},
            "occurrencePeriod": {"start": start, "end": end},
            "performingOrganization": unit_ref,
            "quantity": {"value": quantity, "unit": cost.unit},
            "priceOverride": {"value": total, "currency": "EUR"},
            "overrideReason": f"{cost.eur:g} EUR/{cost.unit} x {quantity:g}, {BASIS_TEXT[cost.basis]}",
            "enteredDate": end,
        }
        self.out.append(charge)
        return enc_id

    def condition_add(self, *, code: str, display: str, onset: int, unit: Unit, recorder: str) -> str:
        cond_id = self.ident("con")
        recorded = max(onset, self.start - 3650)
        self.out.append(
            {
                "resourceType": "Condition",
                "id": cond_id,
                "meta": fhir.meta_client(register=HEALTH, keeper=unit.ident),
                "clinicalStatus": {
                    "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]
                },
                "verificationStatus": {
                    "coding": [
                        {"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "confirmed"}
                    ]
                },
                "category": [
                    {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/condition-category",
                                "code": "problem-list-item",
                                "display": "Problem List Item",
                            }
                        ]
                    }
                ],
                "code": fhir.concept(fhir.ICD10, code, display),
                "subject": self.patient_ref(),
                "onsetDateTime": iso_date(onset),
                "recordedDate": iso_date(recorded),
                "recorder": {"reference": f"Practitioner/{recorder}"},
            }
        )
        return cond_id

    def note_add(
        self, *, day: int, minute: int, text: str, kind: str, encounter: str, unit: Unit, author: str, register: str
    ) -> None:
        doc_type: dict[str, Any]
        if kind == "social":
            doc_type = fhir.concept(fhir.SOCIAL_DOC_SYSTEM, "client-record-entry", "Asiakaskertomusmerkintä")
        else:
            loinc = {
                "progress": ("11506-3", "Progress note"),
                "emergency": ("34111-5", "Emergency department Note"),
                "discharge": ("18842-5", "Discharge summary"),
            }[kind]
            doc_type = fhir.concept(fhir.LOINC, loinc[0], loinc[1])
        when = iso_datetime(day, minute)
        self.out.append(
            {
                "resourceType": "DocumentReference",
                "id": self.ident("doc"),
                "meta": fhir.meta_client(register=register, keeper=unit.ident),
                "status": "current",
                "docStatus": "final",
                "type": doc_type,
                "subject": self.patient_ref(),
                "date": when,
                "author": [{"reference": f"Practitioner/{author}"}],
                "custodian": {"reference": f"Organization/{unit.ident}"},
                "content": [
                    {
                        "attachment": {
                            "contentType": "text/plain; charset=utf-8",
                            "language": "fi",
                            "data": _base64(text),
                            "title": doc_type["text"],
                        }
                    }
                ],
                "context": {"encounter": [{"reference": f"Encounter/{encounter}"}], "period": {"start": when}},
            }
        )


def _base64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")
