"""Realistic ORU^R01 messages become Observations and DiagnosticReports linked to the order."""

from kaari.labs.catalogue import LAB_TEST_SYSTEM
from kaari.labs.hl7.mapping import INTERPRETATION_SYSTEM
from kaari.labs.loinc import LOINC_SYSTEM
from tests.labs.hl7_helpers import bundle_of, fixture_text, resources


def test_a_kaari_order_result_links_to_the_service_request_and_the_kaari_patient():
    bundle = bundle_of(fixture_text("oru_hba1c_kaari_order.hl7"))
    [observation] = resources(bundle, "Observation")
    [report] = resources(bundle, "DiagnosticReport")
    assert bundle["type"] == "transaction"
    assert observation["subject"] == {"reference": "Patient/pat-maija"}
    assert observation["basedOn"] == [{"reference": "ServiceRequest/sr-hba1c-1"}]
    assert report["basedOn"] == [{"reference": "ServiceRequest/sr-hba1c-1"}]
    observation_url = next(e["fullUrl"] for e in bundle["entry"] if e["resource"] is observation)
    assert report["result"] == [{"reference": observation_url}]
    assert {(i["type"]["coding"][0]["code"], i["value"]) for i in report["identifier"]} == {
        ("PLAC", "sr-hba1c-1"),
        ("FILL", "2025060200123"),
    }


def test_a_numeric_result_has_its_ucum_quantity_range_flag_status_and_times():
    [observation] = resources(bundle_of(fixture_text("oru_hba1c_kaari_order.hl7")), "Observation")
    assert observation["code"]["coding"][0] == {"system": LOINC_SYSTEM, "code": "59261-8", "display": "B -HbA1c"}
    assert {"system": LAB_TEST_SYSTEM, "code": "B -HbA1c", "display": "Hemoglobiini A1c"} in observation["code"][
        "coding"
    ]
    assert observation["valueQuantity"] == {
        "value": 48,
        "unit": "mmol/mol",
        "system": "http://unitsofmeasure.org",
        "code": "mmol/mol",
    }
    assert observation["referenceRange"][0]["low"]["value"] == 20
    assert observation["referenceRange"][0]["high"]["value"] == 42
    assert observation["interpretation"] == [{"coding": [{"system": INTERPRETATION_SYSTEM, "code": "H"}]}]
    assert observation["status"] == "final"
    assert observation["effectiveDateTime"] == "2025-06-02T08:10:00+03:00"
    assert observation["issued"] == "2025-06-02T09:30:00+03:00"


def test_local_codes_map_to_loinc_through_the_national_abbreviation():
    bundle = bundle_of(fixture_text("oru_pvk_local_codes.hl7"))
    haemoglobin, leukocytes, platelets = resources(bundle, "Observation")
    assert haemoglobin["code"]["coding"][0] == {"system": LOINC_SYSTEM, "code": "718-7"}
    assert {"system": "https://kaari.fi/fhir/CodeSystem/hl7-local/KL", "code": "1552", "display": "B -Hb"} in (
        haemoglobin["code"]["coding"]
    )
    assert leukocytes["valueQuantity"] == {
        "value": 5.4,
        "unit": "E9/l",
        "system": "http://unitsofmeasure.org",
        "code": "10*9/L",
    }
    assert haemoglobin["status"] == "corrected"
    [report] = resources(bundle, "DiagnosticReport")
    assert report["code"]["coding"][0] == {"system": LOINC_SYSTEM, "code": "58410-2"}
    assert report["status"] == "corrected"
    assert "interpretation" not in platelets


def test_a_timestamp_without_offset_is_in_finnish_local_time_with_its_season():
    bundle = bundle_of(fixture_text("oru_pvk_local_codes.hl7"))
    assert resources(bundle, "Observation")[0]["effectiveDateTime"] == "2025-01-14T07:30:00+02:00"


def test_a_hospital_order_and_a_hetu_become_conditional_references():
    bundle = bundle_of(fixture_text("oru_lipids_hospital_order.hl7"))
    observation = resources(bundle, "Observation")[0]
    assert observation["subject"] == {"reference": "Patient?identifier=urn:oid:1.2.246.21|311245-9874"}
    assert observation["basedOn"] == [
        {"reference": "ServiceRequest?identifier=urn:oid:1.2.246.10.1234567.10.1|ORD-88812"}
    ]


def test_the_sender_offset_applies_when_the_result_time_has_none():
    observation = resources(bundle_of(fixture_text("oru_lipids_hospital_order.hl7")), "Observation")[0]
    # OBX-14 is empty, so OBR-7 applies; it has no offset, so MSH-7's +0300 does.
    assert observation["effectiveDateTime"] == "2025-06-10T07:45:00+03:00"


def test_structured_numeric_coded_and_text_values_map_to_their_fhir_types():
    cholesterol, hdl, ldl, triglycerides, protein = resources(
        bundle_of(fixture_text("oru_lipids_hospital_order.hl7")), "Observation"
    )
    assert hdl["valueQuantity"]["comparator"] == "<" and hdl["valueQuantity"]["value"] == 0.5
    assert hdl["referenceRange"][0]["low"]["value"] == 1.2
    assert cholesterol["referenceRange"][0]["high"]["value"] == 5.0
    assert triglycerides["valueString"] == "hemolyysin vuoksi ei määritetty"
    assert triglycerides["status"] == "cancelled"
    assert protein["valueCodeableConcept"]["coding"][0] == {
        "code": "260350009",
        "display": "Plus",
        "system": "http://snomed.info/sct",
    }
    assert protein["status"] == "preliminary"
    assert ldl["code"]["coding"][0]["code"] == "39469-2"


def test_mapped_results_feed_the_duplicate_rule_by_analyte():
    from datetime import UTC, datetime

    from kaari.labs.rules.context import context_from_resources
    from kaari.labs.rules.duplicates import lab_duplicate_cards
    from tests.labs.factories import KNOWLEDGE, catalogue_concept, service_request

    bundle = bundle_of(fixture_text("oru_hba1c_kaari_order.hl7"))
    draft = service_request(catalogue_concept("b-hba1c"), subject="Patient/pat-maija")
    context = context_from_resources(
        resources=[draft, *resources(bundle, "Observation")],
        now=datetime(2025, 6, 20, tzinfo=UTC),
        knowledge=KNOWLEDGE,
    )
    [card] = lab_duplicate_cards(context)
    assert "48 mmol/mol" in card.summary and "2.6.2025" in card.summary
