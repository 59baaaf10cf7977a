"""Factories for FHIR resources as plain dicts (factory_boy DictFactory)."""

from __future__ import annotations

import factory


class CodingFactory(factory.DictFactory):
    system = "http://loinc.org"
    code = "4548-4"
    display = "Hemoglobin A1c/Hemoglobin.total in Blood"


class HumanNameFactory(factory.DictFactory):
    family = factory.Sequence(lambda n: f"Järvinen{n}")
    given = factory.List(["Aino"])


class PatientFactory(factory.DictFactory):
    resourceType = "Patient"
    name = factory.List([factory.SubFactory(HumanNameFactory)])
    gender = "female"
    birthDate = "1952-10-13"


class ObservationFactory(factory.DictFactory):
    resourceType = "Observation"
    status = "final"
    code = factory.Dict({"coding": factory.List([factory.SubFactory(CodingFactory)])})
    subject = factory.Dict({"reference": "Patient/example"})
    effectiveDateTime = "2026-03-01T08:00:00+02:00"
    valueQuantity = factory.Dict({"value": 6.1, "unit": "%", "system": "http://unitsofmeasure.org", "code": "%"})
