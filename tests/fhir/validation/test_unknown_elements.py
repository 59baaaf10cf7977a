from kaari.fhir.validation import validate_resource

from .factories import observation_build, patient_build, problems, questionnaire_build


def test_an_unknown_top_level_element_is_rejected():
    assert problems(patient_build(favouriteColour="blue")) == [("structure", "Patient.favouriteColour")]


def test_an_unknown_element_in_a_backbone_element_is_rejected():
    resource = patient_build(contact=[{"name": {"family": "Virtanen"}, "nickname": "Eki"}])
    assert problems(resource) == [("structure", "Patient.contact[0].nickname")]


def test_an_unknown_element_in_a_data_type_is_rejected():
    resource = patient_build(name=[{"family": "Virtanen", "middle": "Maria"}])
    assert problems(resource) == [("structure", "Patient.name[0].middle")]


def test_an_element_of_another_type_is_unknown_here():
    assert problems(observation_build(gender="female")) == [("structure", "Observation.gender")]


def test_a_choice_type_with_a_suffix_the_element_does_not_allow_is_rejected():
    resource = observation_build()
    del resource["valueQuantity"]
    resource["valueMoney"] = {"value": 10, "currency": "EUR"}
    issues = validate_resource(resource)
    assert [(i.code, i.expression) for i in issues] == [("structure", "Observation.valueMoney")]
    assert "not an allowed type for value[x]" in issues[0].diagnostics


def test_a_choice_element_without_a_type_suffix_is_unknown():
    resource = observation_build()
    del resource["valueQuantity"]
    resource["value"] = 48
    assert problems(resource) == [("structure", "Observation.value")]


def test_the_choice_types_the_element_allows_are_accepted():
    for name, value in [
        ("valueString", "positive"),
        ("valueBoolean", True),
        ("valueInteger", 3),
        ("valueCodeableConcept", {"text": "positive"}),
        ("valueRange", {"low": {"value": 1}, "high": {"value": 2}}),
        ("valueSampledData", {"origin": {"value": 0}, "period": 1.5, "dimensions": 1, "data": "1 2 3"}),
    ]:
        resource = observation_build()
        del resource["valueQuantity"]
        resource[name] = value
        assert problems(resource) == [], name


def test_an_element_nested_through_a_content_reference_is_checked_against_its_target():
    resource = questionnaire_build()
    resource["item"][0]["item"][0]["item"] = [{"linkId": "1.1.1", "type": "boolean", "answer": "yes"}]
    assert problems(resource) == [("structure", "Questionnaire.item[0].item[0].item[0].answer")]


def test_an_underscore_sibling_of_a_complex_element_is_unknown():
    resource = patient_build(_name=[{"extension": [{"url": "http://example.org/x", "valueString": "y"}]}])
    assert problems(resource) == [("structure", "Patient._name")]


def test_an_underscore_sibling_of_a_primitive_holds_only_id_and_extensions():
    resource = patient_build(_birthDate={"value": "1952-10-13"})
    assert problems(resource) == [("structure", "Patient.birthDate.value")]
