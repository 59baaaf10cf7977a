from tests.factories import PatientFactory

SUBSETTED = {"system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "code": "SUBSETTED"}


def only_resource(fhir, query):
    (entry,) = fhir.get(f"/Patient?{query}").json()["entry"]
    return entry["resource"]


def test_summary_true_keeps_the_summary_elements_and_marks_the_subset(fhir):
    fhir.created(
        PatientFactory(
            text={"status": "generated", "div": '<div xmlns="http://www.w3.org/1999/xhtml">x</div>'},
            maritalStatus={"text": "naimisissa"},
        )
    )
    resource = only_resource(fhir, "_summary=true")
    assert "name" in resource and "birthDate" in resource
    assert "maritalStatus" not in resource and "text" not in resource
    assert SUBSETTED in resource["meta"]["tag"]


def test_summary_data_drops_only_the_narrative(fhir):
    fhir.created(
        PatientFactory(
            text={"status": "generated", "div": '<div xmlns="http://www.w3.org/1999/xhtml">x</div>'},
            maritalStatus={"text": "naimisissa"},
        )
    )
    resource = only_resource(fhir, "_summary=data")
    assert "text" not in resource and "maritalStatus" in resource


def test_elements_returns_the_named_elements_and_the_mandatory_ones(fhir):
    fhir.created(PatientFactory())
    resource = only_resource(fhir, "_elements=birthDate")
    assert set(resource) == {"resourceType", "id", "meta", "birthDate"}
    assert SUBSETTED in resource["meta"]["tag"]
