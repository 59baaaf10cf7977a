from .factories import bundle_build, observation_build, patient_build, problems, questionnaire_build


def test_a_contained_resource_is_validated_as_a_resource():
    resource = observation_build(contained=[patient_build(id="p", gender="nainen")])
    assert problems(resource) == [("code-invalid", "Observation.contained[0].gender")]


def test_a_contained_resource_of_an_unknown_type_is_rejected():
    resource = observation_build(contained=[{"resourceType": "Potilas", "id": "p"}])
    assert problems(resource) == [("structure", "Observation.contained[0].resourceType")]


def test_every_bundle_entry_resource_is_validated():
    bad = observation_build()
    del bad["status"]
    bundle = bundle_build(patient_build(), bad, patient_build(birthDate="1970-13-45"))
    assert problems(bundle) == [
        ("required", "Bundle.entry[1].resource.status"),
        ("value", "Bundle.entry[2].resource.birthDate"),
    ]


def test_a_bundle_entry_itself_is_validated():
    bundle = bundle_build(patient_build())
    bundle["entry"][0]["request"]["method"] = "FETCH"
    assert problems(bundle) == [("code-invalid", "Bundle.entry[0].request.method")]


def test_a_resource_inside_parameters_is_validated():
    parameters = {
        "resourceType": "Parameters",
        "parameter": [
            {"name": "patient", "resource": patient_build(active="yes")},
            {"name": "part", "part": [{"name": "inner", "resource": observation_build(status="ready")}]},
        ],
    }
    assert problems(parameters) == [
        ("structure", "Parameters.parameter[0].resource.active"),
        ("code-invalid", "Parameters.parameter[1].part[0].resource.status"),
    ]


def test_a_resource_element_given_a_data_type_is_rejected():
    bundle = bundle_build(patient_build())
    bundle["entry"][0]["resource"] = {"family": "Virtanen"}
    assert problems(bundle) == [("structure", "Bundle.entry[0].resource.resourceType")]


def test_items_nested_through_content_references_are_validated_at_every_level():
    questionnaire = questionnaire_build()
    questionnaire["item"][0]["item"][0]["item"] = [{"linkId": "1.1.1", "type": "text", "item": [{"type": "bogus"}]}]
    assert problems(questionnaire) == [
        ("code-invalid", "Questionnaire.item[0].item[0].item[0].item[0].type"),
        ("required", "Questionnaire.item[0].item[0].item[0].item[0].linkId"),
    ]


def test_answers_nested_in_questionnaire_responses_are_validated():
    response = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "item": [
            {
                "linkId": "1",
                "answer": [{"valueString": "metformiini", "item": [{"linkId": "1.1", "answer": [{"valueFoo": 1}]}]}],
            }
        ],
    }
    assert problems(response) == [("structure", "QuestionnaireResponse.item[0].answer[0].item[0].answer[0].valueFoo")]
