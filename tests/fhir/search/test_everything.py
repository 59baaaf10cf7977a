from tests.factories import ObservationFactory, PatientFactory


def test_everything_holds_the_patient_its_compartment_and_the_shared_resources_they_refer_to(fhir):
    doctor = fhir.created({"resourceType": "Practitioner", "name": [{"family": "Lääkäri"}]})
    aino = fhir.created(PatientFactory(generalPractitioner=[{"reference": f"Practitioner/{doctor['id']}"}]))
    eino = fhir.created(PatientFactory())
    mine = fhir.created(ObservationFactory(subject={"reference": f"Patient/{aino['id']}"}))
    fhir.created(ObservationFactory(subject={"reference": f"Patient/{eino['id']}"}))
    bundle = fhir.get(f"/Patient/{aino['id']}/$everything").json()
    found = {(e["resource"]["resourceType"], e["resource"]["id"]) for e in bundle["entry"]}
    assert found == {("Patient", aino["id"]), ("Observation", mine["id"]), ("Practitioner", doctor["id"])}
    assert bundle["total"] == 3


def test_everything_pages_without_losing_or_repeating_anything(fhir):
    aino = fhir.created(PatientFactory())
    created = {fhir.created(ObservationFactory(subject={"reference": f"Patient/{aino['id']}"}))["id"] for _ in range(7)}
    url = f"/fhir/Patient/{aino['id']}/$everything?_count=3&_type=Observation"
    seen: list[str] = []
    while url:
        bundle = fhir.client.get(url).json()
        seen.extend(e["resource"]["id"] for e in bundle["entry"])
        links = {link["relation"]: link["url"] for link in bundle["link"]}
        url = links.get("next", "").replace("http://testserver", "")
    assert sorted(seen) == sorted(created)


def test_everything_of_an_unknown_patient_is_404(fhir):
    assert fhir.get("/Patient/nobody/$everything").status_code == 404
