import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kaari.fhir.validation import MAX_DEPTH, MAX_ERRORS, validate_resource

from .factories import observation_build, patient_build, problems

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=40,
)
element_names = st.sampled_from(
    [
        "name",
        "given",
        "_given",
        "extension",
        "url",
        "valueString",
        "contact",
        "telecom",
        "birthDate",
        "_birthDate",
        "contained",
        "resourceType",
        "meta",
        "text",
        "div",
        "family",
        "id",
        "code",
        "coding",
        "system",
    ]
)


def test_deep_nesting_through_extensions_gives_a_too_costly_error_not_a_crash():
    extension: dict[str, Any] = {"url": "http://example.org/x", "valueString": "leaf"}
    for _ in range(100_000):
        extension = {"url": "http://example.org/x", "extension": [extension]}
    issues = validate_resource(patient_build(extension=[extension]))
    assert [i.code for i in issues] == ["too-costly"]
    assert f"nested more than {MAX_DEPTH} levels" in issues[0].diagnostics


def test_deeply_nested_bundles_give_a_too_costly_error():
    resource: dict = patient_build()
    for _ in range(10_000):
        resource = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": resource}]}
    assert [code for code, _ in problems(resource)] == ["too-costly"]


def test_deep_nesting_inside_an_unknown_element_is_not_walked():
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    assert problems(patient_build(anything=deep)) == [("structure", "Patient.anything")]


def test_errors_stop_being_collected_after_the_limit():
    issues = validate_resource(patient_build(name=[{"family": 1}] * 100_000))
    assert len(issues) == MAX_ERRORS + 1
    assert issues[-1].code == "too-costly"


def test_a_huge_valid_list_is_accepted():
    resource = observation_build(note=[{"text": f"huomio {n}"} for n in range(50_000)])
    assert len(json.dumps(resource)) < 10 * 1024 * 1024
    assert problems(resource) == []


def test_a_catastrophic_backtracking_candidate_for_base64_is_fast():
    # The official base64 regex backtracks exponentially on this; the validator must answer at once.
    hostile = "AAAA  " * 40 + "!"
    assert problems(patient_build(photo=[{"data": hostile}])) == [("value", "Patient.photo[0].data")]


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_value_as_a_resource_gives_issues_not_exceptions(value):
    issues = validate_resource(value)
    assert all(i.severity == "error" for i in issues)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(element_names, json_values, max_size=6))
def test_any_json_values_in_known_patient_elements_give_issues_not_exceptions(fields):
    issues = validate_resource({**fields, "resourceType": "Patient"})
    assert all(issue.expression.startswith("Patient") for issue in issues)
