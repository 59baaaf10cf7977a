"""Hand-made resources for the oracle test: the corners Synthea does not reach."""

from __future__ import annotations

from typing import Any

PROFILE = "http://example.org/fhir/StructureDefinition"


def edge_resources() -> list[dict[str, Any]]:
    patients: list[dict[str, Any]] = [
        {
            "resourceType": "Patient",
            "id": "edge-ahlstrom",
            "meta": {
                "profile": [f"{PROFILE}/fi-patient", f"{PROFILE}/fi-patient/v2"],
                "tag": [{"system": "urn:t", "code": "edge"}],
            },
            "identifier": [
                {
                    "system": "urn:oid:1.2.246.21",
                    "value": "131052-308T",
                    "type": {
                        "coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "NNFIN"}],
                        "text": "Henkilötunnus",
                    },
                },
                {"system": "urn:x:pipes", "value": "a|b,c$d"},
            ],
            "name": [{"family": "Åhlström", "given": ["Aino", "Éva"], "text": "Aino Åhlström"}],
            "telecom": [{"system": "email", "value": "aino@example.fi"}, {"system": "phone", "value": "+358 40 123"}],
            "birthDate": "1952-10",
            "address": [{"city": "Åbo", "line": ["Itäinen Pitkäkatu 1, B 2"], "postalCode": "20520"}],
            "deceasedDateTime": "2024-02-29T23:30:00+02:00",
        },
        {
            "resourceType": "Patient",
            "id": "edge-jarvi",
            "meta": {"profile": [f"{PROFILE}/fi-patient"], "security": [{"system": "urn:s", "code": "R"}]},
            "name": [{"family": "Järvi", "given": ["Ööna"]}, {"family": "Jarvinen", "use": "old"}],
            "birthDate": "1980",
            "gender": "other",
            "deceasedBoolean": False,
        },
        {"resourceType": "Patient", "id": "edge-bare", "gender": "unknown", "birthDate": "2001-01-01"},
    ]
    group = {"resourceType": "Group", "id": "edge-group", "type": "person", "actual": True, "name": "Ryhmä"}
    observations: list[dict[str, Any]] = [
        _observation(
            "edge-o1",
            effectivePeriod={"start": "2020-03-01T10:00:00+02:00"},
            valueQuantity={"value": 100, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"},
        ),
        _observation(
            "edge-o2",
            effectivePeriod={"end": "2019-12-31"},
            valueQuantity={"value": 100.4, "unit": "milligram", "code": "mg"},
        ),
        _observation(
            "edge-o3",
            effectiveInstant="2020-03-01T08:00:00.250Z",
            valueQuantity={"value": 99.5, "comparator": "<", "unit": "mg"},
        ),
        _observation(
            "edge-o4",
            effectiveDateTime="2020",
            valueQuantity={"value": 100.5, "system": "http://unitsofmeasure.org", "code": "g"},
        ),
        _observation("edge-o5", effectiveDateTime="2020-03-01T10:00:00-03:30", valueString="Lievä kuume, ei hätää"),
        _observation(
            "edge-o6",
            effectiveDateTime="2021-06-15",
            subject={"reference": "Group/edge-group"},
            component=[
                {
                    "code": {"coding": [{"system": "http://loinc.org", "code": "8480-6"}]},
                    "valueQuantity": {"value": 140, "unit": "mm[Hg]"},
                },
                {
                    "code": {"coding": [{"system": "http://loinc.org", "code": "8462-4"}]},
                    "valueQuantity": {"value": 90, "unit": "mm[Hg]"},
                },
                {"code": {"text": "ilman arvoa"}},
            ],
        ),
        _observation(
            "edge-o7",
            subject={"reference": "https://other.example/fhir/Patient/far"},
            valueCodeableConcept={"text": "Positiivinen"},
        ),
        _observation(
            "edge-o8",
            subject={"identifier": {"system": "urn:oid:1.2.246.21", "value": "131052-308T"}},
            performer=[{"reference": "#p1"}],
        ),
        _observation(
            "edge-o9",
            subject={"reference": "Patient/edge-jarvi/_history/1"},
            effectiveDateTime="1999-12-31T23:59:59Z",
            valueQuantity={"value": -0.001, "unit": "%"},
        ),
    ]
    conditions: list[dict[str, Any]] = [
        {
            "resourceType": "Condition",
            "id": "edge-c1",
            "subject": {"reference": "Patient/edge-ahlstrom"},
            "code": {
                "coding": [
                    {"system": "http://hl7.org/fhir/sid/icd-10", "code": "E11.9", "display": "Tyypin 2 diabetes"}
                ]
            },
            "onsetAge": {"value": 52, "unit": "a", "system": "http://unitsofmeasure.org", "code": "a"},
            "abatementString": "parantui",
        },
        {
            "resourceType": "Condition",
            "id": "edge-c2",
            "subject": {"reference": "Patient/edge-jarvi"},
            "onsetRange": {"low": {"value": 30, "unit": "a", "system": "http://unitsofmeasure.org", "code": "a"}},
            "abatementPeriod": {"start": "2010-05", "end": "2011"},
        },
    ]
    risks: list[dict[str, Any]] = [
        {
            "resourceType": "RiskAssessment",
            "id": "edge-r1",
            "status": "final",
            "subject": {"reference": "Patient/edge-ahlstrom"},
            "occurrenceDateTime": "2022-02-02",
            "prediction": [
                {"probabilityDecimal": 0.25},
                {"probabilityRange": {"low": {"value": 0.1}, "high": {"value": 0.4}}},
            ],
        },
        {
            "resourceType": "RiskAssessment",
            "id": "edge-r2",
            "status": "final",
            "subject": {"reference": "Patient/edge-jarvi"},
            "prediction": [{"probabilityDecimal": 1}],
        },
    ]
    for n, probability in enumerate([0.05, 0.5, 0.499, 0.75, 0.999, 1e-05]):
        risks.append(
            {
                "resourceType": "RiskAssessment",
                "id": f"edge-r{n + 3}",
                "status": "final",
                "subject": {"reference": "Patient/edge-bare"},
                "prediction": [{"probabilityDecimal": probability}],
            }
        )
    care_plan = {
        "resourceType": "CarePlan",
        "id": "edge-cp",
        "status": "active",
        "intent": "plan",
        "subject": {"reference": "Patient/edge-ahlstrom"},
        "activity": [
            {
                "detail": {
                    "status": "scheduled",
                    "scheduledTiming": {
                        "event": ["2023-01-10T09:00:00Z", "2023-01-20"],
                        "repeat": {"boundsPeriod": {"start": "2023-01-05"}},
                    },
                }
            }
        ],
    }
    for position, observation in enumerate(observations):
        observation["meta"] = {
            "profile": [
                f"{PROFILE}/vital/{'bp' if position % 2 else 'weight'}",
                "http://hl7.org/fhir/StructureDefinition/vitalsigns",
            ],
            "source": f"urn:kaari:lab/{position % 3}",
        }
    value_sets = [
        {"resourceType": "ValueSet", "id": f"edge-vs{n}", "status": "active", "url": url, "name": f"Joukko{n}"}
        for n, url in enumerate(
            [
                "http://example.org/fhir/ValueSet/a",
                "http://example.org/fhir/ValueSet/a/b",
                "http://example.org/fhir/ValueSet/ab",
                "urn:oid:1.2.246.537.6.1221",
            ]
        )
    ]
    return [*patients, group, *observations, *conditions, *risks, care_plan, *value_sets]


def _observation(identifier: str, **fields: Any) -> dict[str, Any]:
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "id": identifier,
        "status": "final",
        "code": {
            "coding": [{"system": "http://loinc.org", "code": "29463-7", "display": "Paino"}, {"code": "paino"}],
            "text": "Kehon paino",
        },
        "subject": {"reference": "Patient/edge-ahlstrom"},
    }
    observation.update(fields)
    return observation
