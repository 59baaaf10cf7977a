from tests.factories import ObservationFactory, PatientFactory


def test_a_compartment_search_finds_what_refers_to_the_patient_through_any_compartment_parameter(fhir):
    aino = fhir.created(PatientFactory())
    eino = fhir.created(PatientFactory())
    own = fhir.created(ObservationFactory(subject={"reference": f"Patient/{aino['id']}"}))
    performed = fhir.created(
        ObservationFactory(
            subject={"reference": f"Patient/{eino['id']}"}, performer=[{"reference": f"Patient/{aino['id']}"}]
        )
    )
    fhir.created(ObservationFactory(subject={"reference": f"Patient/{eino['id']}"}))
    bundle = fhir.get(f"/Patient/{aino['id']}/Observation").json()
    assert {e["resource"]["id"] for e in bundle["entry"]} == {own["id"], performed["id"]}


def test_a_compartment_search_takes_ordinary_criteria(fhir):
    aino = fhir.created(PatientFactory())
    fhir.created(ObservationFactory(subject={"reference": f"Patient/{aino['id']}"}, effectiveDateTime="2024-01-01"))
    recent = fhir.created(
        ObservationFactory(subject={"reference": f"Patient/{aino['id']}"}, effectiveDateTime="2026-03-01")
    )
    bundle = fhir.get(f"/Patient/{aino['id']}/Observation?date=ge2026-01-01").json()
    assert [e["resource"]["id"] for e in bundle["entry"]] == [recent["id"]]
    assert bundle["link"][0]["url"].startswith(f"http://testserver/fhir/Patient/{aino['id']}/Observation?")


def test_the_compartment_of_an_unknown_patient_is_404(fhir):
    assert fhir.get("/Patient/nobody/Observation").status_code == 404
