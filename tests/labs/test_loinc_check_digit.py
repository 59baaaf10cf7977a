import pytest

from kaari.labs.loinc import loinc_check_digit, loinc_is_valid


@pytest.mark.parametrize("code", ["718-7", "2160-0", "4548-4", "59261-8", "13457-7", "18262-6", "3016-3"])
def test_well_known_loinc_codes_have_a_valid_check_digit(code):
    assert loinc_is_valid(code=code)


@pytest.mark.parametrize("code", ["718-6", "4548-5", "59261-0", "4548", "4548-44", "A548-4", ""])
def test_a_wrong_check_digit_or_shape_is_rejected(code):
    assert not loinc_is_valid(code=code)


def test_the_check_digit_is_the_luhn_digit_of_the_running_number():
    assert loinc_check_digit(number="2093") == 3
