from kaari.fhir.spec import ElementDefinition, ElementType
from kaari.fhir.validation import validate_resource
from kaari.fhir.validation.issues import IssueList
from kaari.fhir.validation.schema import PRIMITIVE, Field
from kaari.fhir.validation.walk import list_fits

from .factories import medication_request_build, observation_build, patient_build, problems


def test_a_missing_required_element_is_rejected():
    resource = observation_build()
    del resource["status"]
    assert problems(resource) == [("required", "Observation.status")]


def test_a_missing_required_element_of_a_backbone_element_is_rejected():
    resource = patient_build(communication=[{"preferred": True}])
    assert problems(resource) == [("required", "Patient.communication[0].language")]


def test_a_missing_required_choice_element_is_located_without_a_type_suffix():
    resource = medication_request_build()
    del resource["medicationCodeableConcept"]
    issues = validate_resource(resource)
    assert [(i.code, i.expression) for i in issues] == [("required", "MedicationRequest.medication")]
    assert issues[0].diagnostics == "medication[x] is required (minimum cardinality 1)"


def test_a_required_choice_element_is_satisfied_by_any_of_its_types():
    resource = medication_request_build()
    del resource["medicationCodeableConcept"]
    resource["medicationReference"] = {"reference": "Medication/metformin"}
    assert problems(resource) == []


def test_a_required_primitive_present_only_as_an_extension_is_present():
    resource = observation_build()
    del resource["status"]
    resource["_status"] = {
        "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode": "unknown"}]
    }
    assert problems(resource) == []


def test_a_single_element_given_as_an_array_is_rejected():
    assert problems(patient_build(birthDate=["1952-10-13"])) == [("structure", "Patient.birthDate")]
    assert problems(observation_build(code=[{"text": "HbA1c"}])) == [("structure", "Observation.code")]


def test_a_repeating_element_given_as_a_single_value_is_rejected():
    assert problems(patient_build(name={"family": "Virtanen"})) == [("structure", "Patient.name")]
    resource = patient_build(name=[{"family": "Virtanen", "given": "Aino"}])
    assert problems(resource) == [("structure", "Patient.name[0].given")]


def test_more_than_a_numeric_maximum_is_rejected():
    # No R4 base element has a maximum between 1 and *, but profiles do; the check follows the definition.
    element = ElementDefinition("Thing.alias", 0, "2", (ElementType("string"),))
    issues = IssueList(10)
    assert list_fits(["a", "b", "c"], Field("alias", element, PRIMITIVE, "string"), "alias", "Thing", issues)
    assert [(i.code, i.expression) for i in issues.issues] == [("structure", "Thing.alias")]
    assert issues.issues[0].diagnostics == "alias allows at most 2, but there are 3"


def test_a_second_type_of_a_choice_element_is_rejected():
    resource = patient_build(deceasedBoolean=False, deceasedDateTime="2020-01-01")
    assert problems(resource) == [("structure", "Patient.deceasedDateTime")]


def test_a_choice_type_and_the_extension_of_another_type_are_two_types():
    resource = patient_build(deceasedBoolean=False, _deceasedDateTime={"id": "d1"})
    assert problems(resource) == [("structure", "Patient._deceasedDateTime")]


def test_a_simple_quantity_has_no_comparator():
    resource = medication_request_build()
    resource["dispenseRequest"]["quantity"]["comparator"] = "<"
    assert problems(resource) == [("structure", "MedicationRequest.dispenseRequest.quantity.comparator")]


def test_a_full_quantity_may_have_a_comparator():
    assert problems(observation_build(valueQuantity={"value": 5, "comparator": "<"})) == []
