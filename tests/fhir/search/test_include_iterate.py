from tests.factories import ObservationFactory, PatientFactory


def modes(bundle):
    return sorted((e["resource"]["resourceType"], e["search"]["mode"]) for e in bundle["entry"])


def test_include_iterate_follows_references_of_included_resources(fhir):
    doctor = fhir.created({"resourceType": "Practitioner", "name": [{"family": "Lääkäri"}]})
    patient = fhir.created(PatientFactory(generalPractitioner=[{"reference": f"Practitioner/{doctor['id']}"}]))
    fhir.created(ObservationFactory(subject={"reference": f"Patient/{patient['id']}"}))
    once = fhir.get("/Observation?_include=Observation:subject").json()
    assert modes(once) == [("Observation", "match"), ("Patient", "include")]
    iterated = fhir.get(
        "/Observation?_include=Observation:subject&_include:iterate=Patient:general-practitioner"
    ).json()
    assert modes(iterated) == [("Observation", "match"), ("Patient", "include"), ("Practitioner", "include")]


def test_a_wildcard_include_follows_every_reference(fhir):
    patient = fhir.created(PatientFactory())
    encounter = fhir.created(
        {
            "resourceType": "Encounter",
            "status": "finished",
            "class": {"code": "AMB"},
            "subject": {"reference": f"Patient/{patient['id']}"},
        }
    )
    fhir.created(
        ObservationFactory(
            subject={"reference": f"Patient/{patient['id']}"}, encounter={"reference": f"Encounter/{encounter['id']}"}
        )
    )
    bundle = fhir.get("/Observation?_include=*").json()
    assert modes(bundle) == [("Encounter", "include"), ("Observation", "match"), ("Patient", "include")]


def test_a_revinclude_brings_the_resources_that_refer_to_the_matches(fhir):
    patient = fhir.created(PatientFactory())
    for _ in range(2):
        fhir.created(ObservationFactory(subject={"reference": f"Patient/{patient['id']}"}))
    bundle = fhir.get(f"/Patient?_id={patient['id']}&_revinclude=Observation:subject").json()
    assert modes(bundle) == [("Observation", "include"), ("Observation", "include"), ("Patient", "match")]
    assert bundle["total"] == 1
