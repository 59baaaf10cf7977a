"""LOINC code syntax: digits, a hyphen and a Mod-10 check digit (LOINC Users' Guide, appendix)."""

from __future__ import annotations

import re

LOINC_SYSTEM = "http://loinc.org"
_LOINC = re.compile(r"^(\d{1,7})-(\d)$")


def loinc_check_digit(*, number: str) -> int:
    """The Luhn check digit LOINC appends to its running number."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            digit = digit // 10 + digit % 10
        total += digit
    return (10 - total % 10) % 10


def loinc_is_valid(*, code: str) -> bool:
    match = _LOINC.match(code)
    if not match:
        return False
    return loinc_check_digit(number=match.group(1)) == int(match.group(2))
