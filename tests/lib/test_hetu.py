import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaari.lib.hetu import HetuError, hetu_check_character, hetu_format, hetu_is_valid, hetu_parse


def test_the_domain_example_131052_308T_is_valid():
    parsed = hetu_parse("131052-308T")
    assert parsed.birth_date == dt.date(1952, 10, 13)
    assert parsed.individual_number == 308
    assert parsed.sex == "female"
    assert not parsed.is_synthetic


def test_a_wrong_check_character_is_rejected():
    with pytest.raises(HetuError, match="check character"):
        hetu_parse("131052-308U")


def test_odd_individual_numbers_are_men():
    assert hetu_parse(hetu_format(birth_date=dt.date(1980, 1, 1), individual_number=901)).sex == "male"
    assert hetu_parse(hetu_format(birth_date=dt.date(1980, 1, 1), individual_number=902)).sex == "female"


@pytest.mark.parametrize(("sign", "year"), [("Y", 1990), ("U", 1901), ("B", 2010), ("F", 2023), ("+", 1899)])
def test_every_century_sign_including_the_2023_ones_parses_to_its_century(sign, year):
    code = hetu_format(birth_date=dt.date(year, 6, 15), individual_number=950, century_sign=sign)
    assert code[6] == sign
    assert hetu_parse(code).birth_date.year == year


def test_the_century_sign_is_part_of_the_identity():
    born = dt.date(1990, 1, 1)
    classic = hetu_format(birth_date=born, individual_number=900)
    new = hetu_format(birth_date=born, individual_number=900, century_sign="Y")
    assert classic != new
    assert hetu_parse(classic).birth_date == hetu_parse(new).birth_date


def test_a_sign_of_another_century_is_refused():
    with pytest.raises(HetuError, match="does not belong"):
        hetu_format(birth_date=dt.date(1990, 1, 1), individual_number=900, century_sign="A")


@pytest.mark.parametrize("text", ["310290-900X", "010190-001N", "010190*900R", "010190-90AR", "010190-900"])
def test_impossible_codes_are_invalid(text):
    assert not hetu_is_valid(text)


def test_individual_numbers_from_900_are_synthetic():
    assert hetu_parse(hetu_format(birth_date=dt.date(2001, 2, 3), individual_number=999)).is_synthetic
    assert not hetu_parse(hetu_format(birth_date=dt.date(2001, 2, 3), individual_number=899)).is_synthetic


@given(
    born=st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2099, 12, 31)),
    number=st.integers(min_value=2, max_value=999),
    choice=st.integers(min_value=0, max_value=5),
)
def test_formatting_then_parsing_gives_back_the_same_person(born, number, choice):
    signs = {1800: "+", 1900: "-YXWVU", 2000: "ABCDEF"}[born.year - born.year % 100]
    code = hetu_format(birth_date=born, individual_number=number, century_sign=signs[choice % len(signs)])
    parsed = hetu_parse(code)
    assert (parsed.birth_date, parsed.individual_number) == (born, number)
    assert code[-1] == hetu_check_character(birth_date=born, individual_number=number)
