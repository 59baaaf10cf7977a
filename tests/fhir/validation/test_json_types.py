import math
from decimal import Decimal

import pytest

from .factories import observation_build, patient_build, problems


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("birthDate", 19521013),
        ("birthDate", True),
        ("active", "true"),
        ("active", 1),
        ("gender", ["female"]),
        ("gender", {"code": "female"}),
    ],
)
def test_a_primitive_of_the_wrong_json_type_is_rejected(field, value):
    assert problems(patient_build(**{field: value})) == [("structure", f"Patient.{field}")]


def test_a_string_given_for_a_nested_string_is_located_exactly():
    resource = patient_build(contact=[{"name": {"family": 5}}])
    assert problems(resource) == [("structure", "Patient.contact[0].name.family")]


def test_a_string_given_for_a_decimal_is_rejected():
    resource = observation_build(valueQuantity={"value": "48.0", "unit": "mmol/mol"})
    assert problems(resource) == [("structure", "Observation.valueQuantity.value")]


@pytest.mark.parametrize("value", [48, 48.5, -0.001, 1e300, Decimal("48.50")])
def test_a_decimal_is_any_finite_json_number(value):
    assert problems(observation_build(valueQuantity={"value": value})) == []


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, Decimal("NaN"), Decimal("Infinity")])
def test_nan_and_infinity_are_not_decimals(value):
    assert problems(observation_build(valueQuantity={"value": value})) == [("value", "Observation.valueQuantity.value")]


def test_a_fraction_is_not_an_integer():
    assert problems(patient_build(multipleBirthInteger=2.5)) == [("value", "Patient.multipleBirthInteger")]


def test_an_integral_float_is_not_an_integer_either():
    # JSON 2.0 does not match the integer regex -?([0]|([1-9][0-9]*)).
    assert problems(patient_build(multipleBirthInteger=2.0)) == [("value", "Patient.multipleBirthInteger")]


def test_a_boolean_is_not_an_integer():
    assert problems(patient_build(multipleBirthInteger=True)) == [("structure", "Patient.multipleBirthInteger")]


def test_a_data_type_given_as_a_string_is_rejected():
    assert problems(patient_build(maritalStatus="married")) == [("structure", "Patient.maritalStatus")]


def test_a_backbone_element_given_as_a_number_is_rejected():
    assert problems(patient_build(contact=[7])) == [("structure", "Patient.contact[0]")]
