from kaari.fhir.spec import value_set_codes
from kaari.fhir.validation import validate_resource

from .factories import bundle_build, patient_build, problems


def test_a_resource_without_resource_type_is_rejected():
    resource = patient_build()
    del resource["resourceType"]
    assert problems(resource) == [("structure", "resourceType")]


def test_an_unknown_resource_type_is_rejected():
    issues = validate_resource({"resourceType": "Patientti"})
    assert [(i.code, i.expression) for i in issues] == [("structure", "resourceType")]
    assert "'Patientti' is not a known FHIR R4 resource type" in issues[0].diagnostics


def test_an_abstract_resource_type_is_rejected():
    issues = validate_resource({"resourceType": "DomainResource"})
    assert "'DomainResource' is an abstract FHIR R4 resource type" in issues[0].diagnostics


def test_a_resource_type_that_is_not_a_string_is_rejected():
    assert problems({"resourceType": ["Patient"]}) == [("structure", "resourceType")]


def test_a_resource_that_is_not_an_object_is_rejected():
    assert problems([patient_build()]) == [("structure", "$this")]  # type: ignore[arg-type]


def test_resource_type_inside_a_data_type_is_an_unknown_element():
    resource = patient_build(name=[{"resourceType": "HumanName", "family": "Virtanen"}])
    issues = validate_resource(resource)
    assert [(i.code, i.expression) for i in issues] == [("structure", "Patient.name[0].resourceType")]
    assert "only at the root of a resource" in issues[0].diagnostics


def test_a_nested_resource_without_resource_type_is_located_in_its_bundle():
    bundle = bundle_build(patient_build())
    del bundle["entry"][0]["resource"]["resourceType"]
    assert problems(bundle) == [("structure", "Bundle.entry[0].resource.resourceType")]


def test_every_type_of_the_r4_resource_types_value_set_except_the_abstract_ones_is_known():
    listed = {code for _, code in value_set_codes("http://hl7.org/fhir/ValueSet/resource-types") or ()}
    assert len(listed) == 148
    for name in listed - {"Resource", "DomainResource"}:
        assert ("structure", "resourceType") not in problems({"resourceType": name})
