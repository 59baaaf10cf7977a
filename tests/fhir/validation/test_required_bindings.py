from kaari.fhir.validation import validate_resource

from .factories import condition_build, observation_build, patient_build, problems

CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"


def test_a_code_outside_its_required_value_set_is_rejected():
    issues = validate_resource(patient_build(gender="nainen"))
    assert [(i.code, i.expression) for i in issues] == [("code-invalid", "Patient.gender")]
    assert issues[0].diagnostics == (
        "'nainen' is not a code of the required value set http://hl7.org/fhir/ValueSet/administrative-gender"
    )


def test_codes_are_case_sensitive():
    assert problems(observation_build(status="Final")) == [("code-invalid", "Observation.status")]


def test_a_required_binding_in_a_data_type_is_checked():
    resource = patient_build(telecom=[{"system": "pager-ish", "value": "123"}])
    assert problems(resource) == [("code-invalid", "Patient.telecom[0].system")]
    resource = observation_build(valueQuantity={"value": 5, "comparator": "~"})
    assert problems(resource) == [("code-invalid", "Observation.valueQuantity.comparator")]


def test_every_code_of_a_repeating_element_is_checked():
    resource = {
        "resourceType": "AllergyIntolerance",
        "patient": {"reference": "Patient/aino"},
        "category": ["food", "drink"],
    }
    assert problems(resource) == [("code-invalid", "AllergyIntolerance.category[1]")]


def test_a_codeable_concept_with_a_coding_from_the_value_set_is_accepted_with_translations():
    status = {"coding": [{"system": "http://example.org/local", "code": "A"}, {"system": CLINICAL, "code": "active"}]}
    assert problems(condition_build(clinicalStatus=status)) == []


def test_a_codeable_concept_whose_code_is_not_in_the_value_set_is_rejected():
    status = {"coding": [{"system": CLINICAL, "code": "cured"}]}
    issues = validate_resource(condition_build(clinicalStatus=status))
    assert [(i.code, i.expression) for i in issues] == [("code-invalid", "Condition.clinicalStatus")]
    assert "required value set http://hl7.org/fhir/ValueSet/condition-clinical" in issues[0].diagnostics


def test_a_codeable_concept_from_the_right_code_in_the_wrong_system_is_rejected():
    status = {"coding": [{"system": "http://snomed.info/sct", "code": "active"}]}
    assert problems(condition_build(clinicalStatus=status)) == [("code-invalid", "Condition.clinicalStatus")]


def test_text_alone_does_not_satisfy_a_required_binding():
    assert problems(condition_build(clinicalStatus={"text": "active"})) == [
        ("code-invalid", "Condition.clinicalStatus")
    ]


def test_extensible_and_preferred_bindings_are_not_errors():
    # Observation.category is bound extensibly, Condition.severity preferred, Patient.maritalStatus extensibly.
    resource = observation_build(category=[{"coding": [{"system": "http://example.org/local", "code": "lab"}]}])
    assert problems(resource) == []
    assert problems(condition_build(severity={"text": "melko vakava"})) == []
    assert problems(patient_build(maritalStatus={"text": "avoliitossa"})) == []


def test_value_sets_that_cannot_be_enumerated_offline_are_unchecked():
    # Attachment.contentType is bound to mimetypes (BCP 13), which the package cannot enumerate.
    assert problems(patient_build(photo=[{"contentType": "image/x-kaari", "data": "aGVsbG8="}])) == []
