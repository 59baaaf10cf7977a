"""Finnish personal identity codes (henkilötunnus, HETU), post-2023 format.

A code is `DDMMYYCZZZQ`: birth date, century sign, individual number and check character. Since 1.1.2023 the
1900s may also be signed `Y X W V U` and the 2000s `B C D E F`; the sign is part of the identity, so `010190-900R`
and `010190Y900R` are two different people. Source: Digi- ja väestötietovirasto, "Henkilötunnus" and Act 128/2022.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURY_BY_SIGN = {
    "+": 1800,
    "-": 1900,
    "Y": 1900,
    "X": 1900,
    "W": 1900,
    "V": 1900,
    "U": 1900,
    "A": 2000,
    "B": 2000,
    "C": 2000,
    "D": 2000,
    "E": 2000,
    "F": 2000,
}
SIGNS_BY_CENTURY = {
    1800: ("+",),
    1900: ("-", "Y", "X", "W", "V", "U"),
    2000: ("A", "B", "C", "D", "E", "F"),
}
# Individual numbers 900-999 are reserved for temporary and test use and never given to a real person.
SYNTHETIC_INDIVIDUAL_NUMBERS = range(900, 1000)

Sex = Literal["male", "female"]


class HetuError(ValueError):
    """The text is not a valid personal identity code."""


@dataclass(frozen=True)
class Hetu:
    birth_date: dt.date
    century_sign: str
    individual_number: int
    sex: Sex

    @property
    def is_synthetic(self) -> bool:
        return self.individual_number in SYNTHETIC_INDIVIDUAL_NUMBERS


def hetu_check_character(*, birth_date: dt.date, individual_number: int) -> str:
    """The check character for a birth date and individual number: int(DDMMYYZZZ) mod 31."""
    digits = f"{birth_date:%d%m}{birth_date.year % 100:02d}{individual_number:03d}"
    return CHECK_CHARACTERS[int(digits) % 31]


def hetu_format(*, birth_date: dt.date, individual_number: int, century_sign: str | None = None) -> str:
    """Build a code. The sign defaults to the classic one of the century (`+`, `-` or `A`)."""
    century = birth_date.year - birth_date.year % 100
    signs = SIGNS_BY_CENTURY.get(century)
    if signs is None:
        raise HetuError(f"no century sign exists for the year {birth_date.year}")
    sign = signs[0] if century_sign is None else century_sign
    if sign not in signs:
        raise HetuError(f"century sign {sign!r} does not belong to the {century}s")
    if not 2 <= individual_number <= 999:
        raise HetuError(f"individual number {individual_number} is outside 002-999")
    check = hetu_check_character(birth_date=birth_date, individual_number=individual_number)
    return f"{birth_date:%d%m}{birth_date.year % 100:02d}{sign}{individual_number:03d}{check}"


def hetu_parse(text: str) -> Hetu:
    """Parse and validate a code; raise HetuError saying what is wrong."""
    if len(text) != 11:
        raise HetuError("a personal identity code has 11 characters")
    day, month, year, sign, number, check = text[0:2], text[2:4], text[4:6], text[6], text[7:10], text[10]
    if not (day + month + year + number).isdigit():
        raise HetuError("date and individual number must be digits")
    century = CENTURY_BY_SIGN.get(sign)
    if century is None:
        raise HetuError(f"unknown century sign {sign!r}")
    try:
        birth_date = dt.date(century + int(year), int(month), int(day))
    except ValueError as exc:
        raise HetuError(f"no such birth date: {exc}") from exc
    individual_number = int(number)
    if individual_number < 2:
        raise HetuError("individual numbers start at 002")
    expected = hetu_check_character(birth_date=birth_date, individual_number=individual_number)
    if check != expected:
        raise HetuError(f"check character is {check!r}, expected {expected!r}")
    sex: Sex = "male" if individual_number % 2 else "female"
    return Hetu(birth_date=birth_date, century_sign=sign, individual_number=individual_number, sex=sex)


def hetu_is_valid(text: str) -> bool:
    try:
        hetu_parse(text)
    except HetuError:
        return False
    return True
