"""Checks for the FHIR R4 primitive types, built from the official regexes in the definitions.

Each checker takes the parsed JSON value and returns None when it is valid, or (issue code, message).
The regexes are compiled once, with ASCII semantics for \\s and \\S as in the Java/XML Schema engines the
specification was written for (so a non-breaking space is a normal character in a string).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from xml.parsers import expat

from kaari.fhir.spec import TypeDefinition
from kaari.lib.memo import short_text_memo

from .issues import STRUCTURE, VALUE

Problem = tuple[str, str]
Checker = Callable[[Any], Problem | None]

INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1
# datatypes.html#string: "strings SHALL NOT exceed 1MB (1024*1024 characters) in size".
STRING_MAX = 1024 * 1024
XHTML_ROOT = "http://www.w3.org/1999/xhtml div"

# The official base64Binary regex, (\s*([0-9a-zA-Z\+/=]){4}\s*)+, backtracks exponentially on hostile input and
# accepts misplaced padding, so base64 is checked as RFC 4648 text after removing whitespace instead.
_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
_ASCII_WHITESPACE = re.compile(r"\s", re.ASCII)
_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def json_kind(value: Any) -> str:
    """The JSON type of a parsed value, as named in messages."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "boolean"
    if isinstance(value, int | float | Decimal):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _wrong_json(expected: str, value: Any) -> Problem:
    return STRUCTURE, f"must be a JSON {expected}, not a JSON {json_kind(value)}"


def calendar_problem(value: str) -> str | None:
    """The regexes allow 2023-02-30; the calendar does not."""
    if len(value) < 10:
        return None
    year, month, day = int(value[0:4]), int(value[5:7]), int(value[8:10])
    last = _DAYS_IN_MONTH[month]
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        last = 29
    if day > last:
        return f"{value[:10]} is not a calendar date (month {month} of {year} has {last} days)"
    return None


# The string and markdown regex, [ \r\n\t\S]+ with ASCII \S, allows every character but form feed and vertical tab.
_ANY_TEXT = "[ \\r\\n\\t\\S]+"
# Types whose values repeat from resource to resource: a small vocabulary (codes, systems, profiles), and the dates
# and times a client's resources share. Their checks are remembered for values up to _CACHED_LENGTH characters.
_REPEATING_TYPES = frozenset({"code", "uri", "canonical", "url", "date", "dateTime", "instant"})
_CACHED_LENGTH = 256


def _string_checker(name: str, pattern: re.Pattern[str] | None, limit: int | None) -> Checker:
    fullmatch: Callable[[str], object] | None = pattern.fullmatch if pattern is not None else None
    if pattern is not None and pattern.pattern == _ANY_TEXT:
        fullmatch = _any_text_fullmatch
    dated = name in {"date", "dateTime", "instant"}

    def check_text(value: str) -> Problem | None:
        if not value:
            return STRUCTURE, "must not be an empty string (FHIR JSON has no empty values)"
        if limit is not None and len(value) > limit:
            return VALUE, f"is longer than the {limit} characters a FHIR {name} may have"
        if fullmatch is not None and fullmatch(value) is None:
            return VALUE, f"{_quote(value)} is not a valid {name}"
        if dated:
            problem = calendar_problem(value)
            if problem is not None:
                return VALUE, f"{problem}, so not a valid {name}"
        return None

    text_check = (
        short_text_memo(maxsize=4096, length=_CACHED_LENGTH)(check_text) if name in _REPEATING_TYPES else check_text
    )

    def check(value: Any) -> Problem | None:
        if value.__class__ is not str:
            return _wrong_json("string", value)
        return text_check(value)

    return check


def _any_text_fullmatch(value: str) -> bool | None:
    """`fullmatch` of the string regex, for a non-empty value: True, or None when it does not match."""
    return None if "\f" in value or "\v" in value else True


def _boolean(value: Any) -> Problem | None:
    if value is True or value is False:
        return None
    return _wrong_json("boolean (true or false)", value)


def _integer_checker(name: str, low: int) -> Checker:
    def check(value: Any) -> Problem | None:
        if value.__class__ is not int:
            if value.__class__ is float or isinstance(value, Decimal):
                return VALUE, f"{value!r} is not a valid {name}: it must be a whole number without a fraction"
            return _wrong_json("number", value)
        if value < low or value > INT32_MAX:
            return VALUE, f"{value} is outside the range of {_article(name)} {name} ({low} to {INT32_MAX})"
        return None

    return check


def _decimal(value: Any) -> Problem | None:
    cls = value.__class__
    if cls is float:
        if not math.isfinite(value):
            return VALUE, f"{value!r} is not a valid decimal: it must be a finite number"
        return None
    if cls is int:
        return None
    if cls is Decimal:
        return None if value.is_finite() else (VALUE, f"{value} is not a valid decimal: it must be a finite number")
    return _wrong_json("number", value)


def _base64(value: Any) -> Problem | None:
    if value.__class__ is not str:
        return _wrong_json("string", value)
    if not value:
        return STRUCTURE, "must not be an empty string (FHIR JSON has no empty values)"
    text = "".join(value.split()) if _ASCII_WHITESPACE.search(value) else value
    if not text or _BASE64.fullmatch(text) is None:
        return VALUE, "is not valid base64 (RFC 4648: A-Z a-z 0-9 + /, length a multiple of 4, '=' only at the end)"
    return None


def _xhtml(value: Any) -> Problem | None:
    """Well-formed XML whose root is an XHTML <div>.

    Undefined (HTML) entities such as &nbsp; are tolerated, as the HL7 validator does. The narrative content
    rules (txt-1 allowed elements, txt-2 non-empty) are FHIRPath invariants and are not checked here.
    """
    if value.__class__ is not str:
        return _wrong_json("string", value)
    if not value:
        return STRUCTURE, "must not be an empty string (FHIR JSON has no empty values)"
    if not value.startswith("<div"):
        return VALUE, "must be XHTML whose root element is <div>"
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.UseForeignDTD(True)
    roots: list[str] = []

    def start(tag: str, _attributes: Any) -> None:
        if not roots:
            roots.append(tag)

    parser.StartElementHandler = start
    try:
        parser.Parse(value, True)
    except expat.ExpatError as exc:
        return (
            VALUE,
            f"is not well-formed XHTML: {expat.ErrorString(exc.code)} at line {exc.lineno}, column {exc.offset}",
        )
    if roots[0] != XHTML_ROOT:
        return VALUE, 'must have a <div> root in the XHTML namespace (xmlns="http://www.w3.org/1999/xhtml")'
    return None


def _article(name: str) -> str:
    return "an" if name[0] in "aeiou" else "a"


def _quote(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:57] + "...")


def primitive_checker(definition: TypeDefinition) -> Checker:
    """The checker for one primitive type of the definitions."""
    name = definition.name
    if name == "boolean":
        return _boolean
    if name == "decimal":
        return _decimal
    if name == "integer":
        return _integer_checker(name, INT32_MIN)
    if name == "unsignedInt":
        return _integer_checker(name, 0)
    if name == "positiveInt":
        return _integer_checker(name, 1)
    if name == "base64Binary":
        return _base64
    if name == "xhtml":
        return _xhtml
    if definition.json_kind != "string":
        raise ValueError(f"no JSON mapping for primitive {name} ({definition.json_kind})")
    pattern = re.compile(definition.regex, re.ASCII) if definition.regex else None
    limit = STRING_MAX if name in {"string", "markdown"} else None
    return _string_checker(name, pattern, limit)
