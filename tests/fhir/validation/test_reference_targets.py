import pytest

from .factories import observation_build, patient_build, problems


@pytest.mark.parametrize(
    "reference",
    [
        "Patient/aino",
        "Patient/aino/_history/3",
        "https://fhir.example.fi/fhir/Patient/aino",
        "Patient?identifier=urn:oid:1.2.246.21|131052-308T",
        "urn:uuid:7c3e6f0a-2b7e-4a53-9d3a-3b8f1f7b1c11",
        "#contained-patient",
        "Group/diabetics",
    ],
)
def test_references_to_allowed_targets_are_accepted(reference):
    assert problems(observation_build(subject={"reference": reference})) == []


@pytest.mark.parametrize(
    "reference",
    [
        "Practitioner/lahtinen",
        "Practitioner/lahtinen/_history/1",
        "https://fhir.example.fi/fhir/Practitioner/lahtinen",
        "Practitioner?identifier=123",
    ],
)
def test_a_reference_to_a_type_the_element_does_not_allow_is_rejected(reference):
    assert problems(observation_build(subject={"reference": reference})) == [
        ("invalid", "Observation.subject.reference")
    ]


def test_a_reference_to_an_unrecognisable_url_is_left_alone():
    assert problems(observation_build(subject={"reference": "https://example.org/people/aino"})) == []


def test_a_reference_in_a_list_is_located_exactly():
    resource = patient_build(generalPractitioner=[{"reference": "Practitioner/a"}, {"reference": "Patient/b"}])
    assert problems(resource) == [("invalid", "Patient.generalPractitioner[1].reference")]


def test_a_reference_that_may_point_at_any_resource_is_not_restricted():
    extension = [{"url": "http://example.org/about", "valueReference": {"reference": "Basic/anything"}}]
    assert problems(patient_build(extension=extension)) == []
