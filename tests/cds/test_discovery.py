"""GET /cds-services lists every service with its hook and prefetch templates (CDS Hooks 2.0 discovery)."""

from __future__ import annotations

EXPECTED = {
    "medication-safety": "order-sign",
    "medication-safety-select": "order-select",
    "medication-review": "patient-view",
    "lab-duplicates": "order-sign",
    "lab-duplicates-select": "order-select",
}


def test_discovery_lists_every_service_with_its_hook(kaari):
    response = kaari.discovery()

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    services = {s["id"]: s for s in response.json()["services"]}
    assert {service_id: s["hook"] for service_id, s in services.items()} == EXPECTED


def test_every_service_has_a_title_description_and_prefetch_templates_for_the_context_patient(kaari):
    for service in kaari.discovery().json()["services"]:
        assert service["title"] and service["description"]
        assert service["prefetch"]
        assert all("{{context.patientId}}" in t or "{{context." in t for t in service["prefetch"].values())


def test_the_medication_services_prefetch_the_patient_medicines_allergies_and_kidney_function(kaari):
    services = {s["id"]: s for s in kaari.discovery().json()["services"]}
    prefetch = services["medication-safety"]["prefetch"]

    assert prefetch["patient"] == "Patient/{{context.patientId}}"
    assert prefetch["medications"].startswith("MedicationRequest?patient={{context.patientId}}")
    assert prefetch["allergies"].startswith("AllergyIntolerance?patient={{context.patientId}}")
    assert "http://loinc.org|98979-8" in prefetch["kidneyAndWeight"]


def test_discovery_answers_only_get(kaari):
    response = kaari.client.post("/cds-services", data="{}", content_type="application/json")

    assert response.status_code == 405
    assert response["Allow"] == "GET"
