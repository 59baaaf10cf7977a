import pytest

from kaari.fhir.search.fhirpath import FhirPathError, Typed, expression_compile
from kaari.fhir.search.registry import resource_parameters
from kaari.fhir.spec import resource_types


def evaluate(expression, resource):
    compiled = expression_compile(expression, resource["resourceType"])
    assert compiled is not None
    evaluator, _ = compiled
    root_type = Typed(resource["resourceType"], resource["resourceType"], "")
    return [(value, typed.code) for value, typed in evaluator([(resource, root_type)], resource)]


def test_every_official_parameter_is_either_supported_or_reported_with_a_reason():
    reported: dict[str, set[str]] = {}
    for resource_type in resource_types():
        for code, unsupported in resource_parameters(resource_type).unsupported.items():
            assert unsupported.reason
            reported.setdefault(code, set()).add(resource_type)
    # _text/_content/_query have no expression; Bundle composition/message point at inline resources;
    # DocumentReference relationship's official components are swapped; near is geographic.
    assert set(reported) == {"_text", "_content", "_query", "composition", "message", "relationship", "near"}


def test_choice_elements_are_typed_by_their_json_key():
    observation = {"resourceType": "Observation", "effectivePeriod": {"start": "2020"}, "valueQuantity": {"value": 1}}
    assert evaluate("Observation.effective", observation) == [({"start": "2020"}, "Period")]
    assert evaluate("(Observation.value as Quantity)", observation) == [({"value": 1}, "Quantity")]
    assert evaluate("Observation.value.as(string)", observation) == []


def test_where_resolve_keeps_only_references_to_that_type():
    observation = {
        "resourceType": "Observation",
        "performer": [{"reference": "Practitioner/1"}, {"reference": "http://x.org/fhir/Patient/2"}],
    }
    result = evaluate("Observation.performer.where(resolve() is Patient)", observation)
    assert result == [({"reference": "http://x.org/fhir/Patient/2"}, "Reference")]


def test_where_with_a_literal_filters_contact_points():
    patient = {
        "resourceType": "Patient",
        "telecom": [{"system": "phone", "value": "1"}, {"system": "email", "value": "a@b"}],
    }
    assert evaluate("Patient.telecom.where(system='email')", patient) == [
        ({"system": "email", "value": "a@b"}, "ContactPoint")
    ]


def test_an_index_takes_one_item_of_the_whole_collection():
    bundle = {"resourceType": "Bundle", "entry": [{"fullUrl": "a"}, {"fullUrl": "b"}]}
    assert evaluate("Bundle.entry[0].fullUrl", bundle) == [("a", "uri")]


@pytest.mark.parametrize(
    ("deceased", "expected"),
    [
        ({}, [(False, "boolean")]),
        ({"deceasedBoolean": False}, [(False, "boolean")]),
        ({"deceasedBoolean": True}, [(True, "boolean")]),
        ({"deceasedDateTime": "2020"}, [(True, "boolean")]),
    ],
)
def test_the_deceased_expression_follows_fhirpath_logic(deceased, expected):
    patient = {"resourceType": "Patient", **deceased}
    assert evaluate("Patient.deceased.exists() and Patient.deceased != false", patient) == expected


def test_a_branch_for_another_resource_type_does_not_apply():
    assert expression_compile("Patient.name | Practitioner.name", "Observation") is None


def test_an_unknown_element_is_a_compile_error_not_an_empty_result():
    with pytest.raises(FhirPathError):
        expression_compile("Patient.nickname", "Patient")


def test_a_function_outside_the_subset_is_a_compile_error():
    with pytest.raises(FhirPathError):
        expression_compile("Patient.name.select(family)", "Patient")
