"""A brute-force search oracle, written apart from the engine.

It evaluates each search parameter's official FHIRPath expression with fhirpathpy on every stored resource,
keeps the FHIR type fhirpathpy reports for each value, and applies the matching rules of R4 search.html in
plain Python. It shares nothing with kaari.fhir.search except the text normaliser (tested on its own) and
the list of parameter definitions.

Documented choices it shares with the engine, because the specification leaves them to the server:
dates without a zone are UTC; `ap` widens a date by 10% of its distance from today (at least a day) and a
number by 10%; string matching sees the first 512 normalised characters; a reference resolves to the type
its literal names (contained and logical references resolve to nothing); a composite matches within one
element that has every component; sorting uses the lowest value ascending and the highest descending,
missing values last, then the order of storage.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

import fhirpathpy
from fhirpathpy.engine.nodes import ResourceNode
from fhirpathpy.models import models

from kaari.fhir.spec import search_parameter_definitions
from kaari.lib.text import text_normalise

MODEL = models["r4"]
_REFERENCE = re.compile(
    r"^(?:(?P<base>[a-z][a-z0-9+.-]*://.+?)/)?(?P<type>[A-Z][A-Za-z]+)/(?P<id>[A-Za-z0-9\-.]{1,64})"
    r"(?:/_history/(?P<version>[A-Za-z0-9\-.]{1,64}))?$"
)


@dataclass(frozen=True)
class Literal:
    kind: str  # "local", "absolute", "other"
    type: str = ""
    id: str = ""
    version: str = ""
    url: str = ""


def literal_parse(text: str) -> Literal:
    from kaari.fhir.spec import resource_types

    if text.startswith("#"):
        return Literal("other", url=text)
    match = _REFERENCE.match(text)
    if match is None or match.group("type") not in resource_types():
        return Literal("other", url=text)
    if match.group("base"):
        url = f"{match.group('base')}/{match.group('type')}/{match.group('id')}"
        return Literal("absolute", match.group("type"), match.group("id"), match.group("version") or "", url)
    return Literal("local", match.group("type"), match.group("id"), match.group("version") or "")


def _resolve(inputs: list[Any]) -> list[Any]:
    out = []
    for item in inputs:
        literal = item.get("reference") if isinstance(item, dict) else None
        if isinstance(literal, str):
            parsed = literal_parse(literal)
            if parsed.type:
                out.append(ResourceNode.create_node({"resourceType": parsed.type, "id": parsed.id}))
    return out


OPTIONS = {"returnRawData": True, "userInvocationTable": {"resolve": {"fn": _resolve, "arity": {0: []}}}}


@cache
def _branches(expression: str) -> tuple[str, ...]:
    parts, depth, start = [], 0, 0
    for position, ch in enumerate(expression):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "|" and depth == 0:
            parts.append(expression[start:position].strip())
            start = position + 1
    parts.append(expression[start:].strip())
    return tuple(parts)


def _corrected(expression: str) -> str:
    """Two known slips of the R4 expressions, written as R5 corrected them: `as` applied to collections
    (`(Observation.component.value as Quantity)`) means ofType(), and `as(DateTime)` means FHIR dateTime."""
    expression = re.sub(r"\(([A-Za-z.]+) as ([A-Za-z]+)\)", r"\1.ofType(\2)", expression)
    expression = re.sub(r"\.as\(([A-Za-z]+)\)", r".ofType(\1)", expression)
    return expression.replace("ofType(DateTime)", "ofType(dateTime)")


@cache
def _compiled(expression: str) -> Any:
    return fhirpathpy.compile(_corrected(expression), MODEL, OPTIONS)


def typed_values(resource: dict[str, Any], expression: str) -> list[tuple[Any, str]]:
    """(value, FHIR type) for each value of `expression` on the resource, branch by branch."""
    found: list[tuple[Any, str]] = []
    for branch in _branches(expression):
        head = branch.lstrip("(").split(".")[0]
        if head in ("Resource", "DomainResource"):
            # fhirpathpy does not match a Patient against the root type name `Resource`; FHIRPath does.
            branch = branch.replace(head, resource["resourceType"], 1)
        elif head[:1].isupper() and head != resource["resourceType"]:
            continue
        for node in _compiled(branch)(resource):
            if isinstance(node, ResourceNode):
                found.append((node.data, node.path or ""))
            else:
                found.append((node, "boolean" if isinstance(node, bool) else ""))
    return found


def component_values(group: tuple[Any, str], expression: str) -> list[tuple[Any, str]]:
    value, path = group
    if path and "." not in path:  # the resource itself
        return typed_values(value, f"{path}.{expression}") if isinstance(value, dict) else []
    nodes = fhirpathpy.evaluate(
        value, {"base": path, "expression": expression.replace("as(DateTime)", "as(dateTime)")}, {}, MODEL, OPTIONS
    )
    return [(n.data, n.path or "") for n in nodes if isinstance(n, ResourceNode)]


@cache
def definitions(resource_type: str) -> dict[str, dict[str, Any]]:
    found = {}
    for definition in search_parameter_definitions():
        bases = set(definition["base"])
        if resource_type in bases or bases & {"Resource", "DomainResource"}:
            found[definition["code"]] = definition
    return found


@cache
def definition_by_url(url: str) -> dict[str, Any]:
    return next(d for d in search_parameter_definitions() if d["url"] == url)


# --- dates ------------------------------------------------------------------------------------------------

EARLIEST = datetime(1, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 12, 31, 23, 59, 59, 999000, tzinfo=UTC)
MS = timedelta(milliseconds=1)


def date_span(text: str) -> tuple[datetime, datetime] | None:
    """The first and last millisecond a date, dateTime or instant covers."""
    try:
        if re.fullmatch(r"\d{4}", text):
            year = int(text)
            end = datetime(year + 1, 1, 1, tzinfo=UTC) - MS if year < 9999 else LATEST
            return datetime(year, 1, 1, tzinfo=UTC), end
        if re.fullmatch(r"\d{4}-\d{2}", text):
            year, month = map(int, text.split("-"))
            start = datetime(year, month, 1, tzinfo=UTC)
            following = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=UTC)
            return start, following - MS
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            start = datetime.combine(date.fromisoformat(text), datetime.min.time(), tzinfo=UTC)
            return start, start + timedelta(days=1) - MS
        match = re.fullmatch(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:\d{2})?", text)
        if match is None:
            return None
        base, seconds, fraction, zone = match.groups()
        moment = datetime.fromisoformat(base + (seconds or ":00"))
        if fraction:
            moment = moment.replace(microsecond=int(fraction[1:4].ljust(3, "0")) * 1000)
        zone_info = UTC if zone in (None, "Z") else datetime.strptime(zone.replace(":", ""), "%z").tzinfo
        moment = moment.replace(tzinfo=zone_info).astimezone(UTC)
        width = MS if fraction else (timedelta(seconds=1) if seconds else timedelta(minutes=1))
        return moment, moment + width - MS
    except ValueError:
        return None


def date_spans(value: Any, kind: str) -> list[tuple[datetime, datetime]]:
    if kind in ("date", "dateTime", "instant") and isinstance(value, str):
        span = date_span(value)
        return [span] if span else []
    if kind == "Period" and isinstance(value, dict):
        return [s for s in [_period(value)] if s]
    if kind == "Timing" and isinstance(value, dict):
        spans = [date_span(e) for e in value.get("event", [])]
        bounds = _period((value.get("repeat") or {}).get("boundsPeriod") or {})
        found = [s for s in [*spans, bounds] if s]
        return [(min(s[0] for s in found), max(s[1] for s in found))] if found else []
    return []


def _period(period: dict[str, Any]) -> tuple[datetime, datetime] | None:
    if "start" not in period and "end" not in period:
        return None
    start = date_span(period["start"]) if "start" in period else None
    end = date_span(period["end"]) if "end" in period else None
    return (start[0] if start else EARLIEST, end[1] if end else LATEST)


def date_compare(prefix: str, target: tuple[datetime, datetime], search: tuple[datetime, datetime]) -> bool:
    low, high = target
    q_low, q_high = search
    contains = q_low <= low and high <= q_high
    if prefix == "eq":
        return contains
    if prefix == "ne":
        return not contains
    if prefix == "gt":
        return high > q_high
    if prefix == "lt":
        return low < q_low
    if prefix == "ge":
        return high > q_high or contains
    if prefix == "le":
        return low < q_low or contains
    if prefix == "sa":
        return low > q_high
    if prefix == "eb":
        return high < q_low
    if prefix == "ap":
        today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        slack = max(abs(today - q_low) / 10, timedelta(days=1))
        slack = timedelta(milliseconds=int(slack / MS))
        return low <= q_high + slack and high >= q_low - slack
    raise AssertionError(prefix)


# --- numbers ----------------------------------------------------------------------------------------------


def number_compare(prefix: str, target: tuple[float, float], text: str) -> bool:
    low, high = target
    number = Decimal(text)
    half = Decimal(5) * Decimal(10) ** (number.as_tuple().exponent - 1)  # type: ignore[operator]
    if prefix == "eq":
        return float(number - half) <= low and high < float(number + half)
    if prefix == "ne":
        return not (float(number - half) <= low and high < float(number + half))
    if prefix == "ap":
        return low <= float(number + abs(number) / 10) and high >= float(number - abs(number) / 10)
    value = float(number)
    return {
        "gt": high > value,
        "lt": low < value,
        "ge": high >= value,
        "le": low <= value,
        "sa": low > value,
        "eb": high < value,
    }[prefix]


def _num(value: Any) -> float | None:
    return None if isinstance(value, bool) or not isinstance(value, int | float) else float(value)


def number_spans(value: Any, kind: str) -> list[tuple[float, float]]:
    if kind == "Range" and isinstance(value, dict):
        low, high = _num((value.get("low") or {}).get("value")), _num((value.get("high") or {}).get("value"))
        if low is None and high is None:
            return []
        return [(low if low is not None else float("-inf"), high if high is not None else float("inf"))]
    number = _num(value)
    return [] if number is None else [(number, number)]


def quantity_items(value: Any, kind: str) -> list[tuple[tuple[float, float], str, str, str]]:
    """((low, high), system, code, unit) of a Quantity, Money or Range."""
    if not isinstance(value, dict):
        return []
    if kind in ("Quantity", "Age", "Duration", "Distance", "Count", "SimpleQuantity", "MoneyQuantity"):
        number = _num(value.get("value"))
        if number is None:
            return []
        comparator = value.get("comparator")
        span = (
            (float("-inf"), number)
            if comparator in ("<", "<=")
            else ((number, float("inf")) if comparator in (">", ">=") else (number, number))
        )
        return [(span, value.get("system", ""), value.get("code", ""), value.get("unit", ""))]
    if kind == "Money":
        number = _num(value.get("value"))
        return [] if number is None else [((number, number), "urn:iso:std:iso:4217", value.get("currency", ""), "")]
    if kind == "Range":
        spans = number_spans(value, "Range")
        if not spans:
            return []
        unit = value.get("low") if _num((value.get("low") or {}).get("value")) is not None else value.get("high")
        unit = unit or {}
        return [(spans[0], unit.get("system", ""), unit.get("code", ""), unit.get("unit", ""))]
    return []


# --- strings and tokens -----------------------------------------------------------------------------------

NAME_PARTS = ("family", "given", "prefix", "suffix", "text")
ADDRESS_PARTS = ("line", "city", "district", "state", "postalCode", "country", "text")


def string_parts(value: Any, kind: str) -> list[str]:
    if kind in ("HumanName", "Address") and isinstance(value, dict):
        parts = NAME_PARTS if kind == "HumanName" else ADDRESS_PARTS
        found: list[str] = []
        for part in parts:
            item = value.get(part)
            found.extend(i for i in (item if isinstance(item, list) else [item]) if isinstance(i, str))
        return found
    return [value] if isinstance(value, str) and kind in ("string", "markdown") else []


def token_items(value: Any, kind: str) -> list[dict[str, Any]]:
    """Each coded item as {system, code, texts, type_codings}."""
    if kind == "CodeableConcept" and isinstance(value, dict):
        items = [
            {"system": c.get("system"), "code": c.get("code"), "texts": [c.get("display")]}
            for c in value.get("coding", [])
        ]
        if value.get("text"):
            items.append({"system": None, "code": None, "texts": [value["text"]]})
        return items
    if kind == "Coding" and isinstance(value, dict):
        return [{"system": value.get("system"), "code": value.get("code"), "texts": [value.get("display")]}]
    if kind == "Identifier" and isinstance(value, dict):
        kind_of = value.get("type") or {}
        return [
            {
                "system": value.get("system"),
                "code": value.get("value"),
                "texts": [kind_of.get("text")],
                "types": [(c.get("system"), c.get("code")) for c in kind_of.get("coding", [])],
            }
        ]
    if kind == "ContactPoint" and isinstance(value, dict):
        return [{"system": None, "code": value.get("value"), "texts": []}]
    if isinstance(value, bool):
        return [{"system": None, "code": "true" if value else "false", "texts": []}]
    if kind in ("code", "id", "string", "uri") and isinstance(value, str):
        return [{"system": None, "code": value, "texts": []}]
    return []


def normalised(text: str) -> str:
    return text_normalise(text)[:512]


# --- matching ---------------------------------------------------------------------------------------------

PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap")


def split_unescaped(text: str, separator: str) -> list[str]:
    parts, current, position = [], "", 0
    while position < len(text):
        if text[position] == "\\" and position + 1 < len(text) and text[position + 1] in ",$|\\":
            current += text[position : position + 2]
            position += 2
            continue
        if text[position] == separator:
            parts.append(current)
            current = ""
        else:
            current += text[position]
        position += 1
    return [*parts, current]


def unescape(text: str) -> str:
    return re.sub(r"\\([,$|\\])", r"\1", text)


def prefixed(text: str) -> tuple[str, str]:
    return (text[:2], text[2:]) if text[:2] in PREFIXES else ("eq", text)


def string_match(values: list[tuple[Any, str]], modifier: str | None, raw: str) -> bool:
    query = unescape(raw)
    for value, kind in values:
        for part in string_parts(value, kind):
            if modifier == "exact":
                if part == query:
                    return True
            elif modifier == "contains":
                if normalised(query) in normalised(part):
                    return True
            elif normalised(part).startswith(normalised(query)):
                return True
    return False


def token_match(values: list[tuple[Any, str]], modifier: str | None, raw: str) -> bool:
    items = [item for value, kind in values for item in token_items(value, kind)]
    if modifier == "text":
        wanted = text_normalise(unescape(raw))
        return any(isinstance(t, str) and text_normalise(t).startswith(wanted) for i in items for t in i["texts"])
    parts = [unescape(p) for p in split_unescaped(raw, "|")]
    if modifier == "of-type":
        type_system, type_code, value = parts
        return any(i["code"] == value and (type_system, type_code) in i.get("types", []) for i in items)
    if len(parts) == 1:
        return any(i["code"] == parts[0] for i in items)
    system, code = parts
    for item in items:
        if code and item["code"] != code:
            continue
        if system == "" and not item["system"] and item["code"] is not None:
            return True
        if system and item["system"] == system:
            return True
    return False


def reference_match(values: list[tuple[Any, str]], modifier: str | None, raw: str) -> bool:
    query = unescape(raw)
    if modifier == "identifier":
        parts = split_unescaped(raw, "|")
        system, value = (None, unescape(parts[0])) if len(parts) == 1 else (unescape(parts[0]), unescape(parts[1]))
        for item, kind in values:
            identifier = item.get("identifier") if kind == "Reference" and isinstance(item, dict) else None
            if (
                identifier
                and identifier.get("value") == value
                and (system is None or identifier.get("system") == system)
            ):
                return True
        return False
    for item, kind in values:
        if kind == "Reference" and isinstance(item, dict) and isinstance(item.get("reference"), str):
            literal = literal_parse(item["reference"])
        elif kind in ("canonical", "uri", "url") and isinstance(item, str):
            url, _, version = item.partition("|")
            literal = Literal("other", url=url, version=version)
        elif kind == "Attachment" and isinstance(item, dict) and item.get("url"):
            literal = Literal("other", url=item["url"])
        else:
            continue
        version_ok = True
        if modifier is not None:  # a resource type
            wanted = literal_parse(query) if "/" in query else Literal("local", modifier, query)
            version_ok = not wanted.version or wanted.version == literal.version
            if literal.kind == "local" and literal.type == modifier and literal.id == wanted.id and version_ok:
                return True
            continue
        if "/" not in query and ":" not in query:
            if literal.kind == "local" and literal.id == query:
                return True
            continue
        wanted = literal_parse(query)
        version_ok = not wanted.version or literal.version == wanted.version
        same_local = literal.kind == "local" and (literal.type, literal.id) == (wanted.type, wanted.id)
        same_absolute = literal.kind == "absolute" and literal.url == wanted.url
        if wanted.kind == "local":
            if same_local and version_ok:
                return True
        elif wanted.kind == "absolute":
            if same_absolute and version_ok:
                return True
        else:
            url, bar, version = query.partition("|")
            if literal.kind == "other" and literal.url == url and (not bar or literal.version == version):
                return True
    return False


def date_match(values: list[tuple[Any, str]], raw: str) -> bool:
    prefix, text = prefixed(raw)
    search = date_span(text)
    assert search is not None, text
    return any(date_compare(prefix, span, search) for value, kind in values for span in date_spans(value, kind))


def number_match(values: list[tuple[Any, str]], raw: str) -> bool:
    prefix, text = prefixed(raw)
    return any(number_compare(prefix, span, text) for value, kind in values for span in number_spans(value, kind))


def quantity_match(values: list[tuple[Any, str]], raw: str) -> bool:
    parts = split_unescaped(raw, "|")
    prefix, text = prefixed(unescape(parts[0]))
    system = unescape(parts[1]) if len(parts) == 3 else ""
    code = unescape(parts[2]) if len(parts) == 3 else ""
    for value, kind in values:
        for span, item_system, item_code, unit in quantity_items(value, kind):
            if system and item_system != system:
                continue
            if code and ((system and item_code != code) or (not system and code not in (item_code, unit))):
                continue
            if number_compare(prefix, span, text):
                return True
    return False


def uri_match(values: list[tuple[Any, str]], modifier: str | None, raw: str) -> bool:
    query = unescape(raw)
    for value, _ in values:
        if not isinstance(value, str) or not value:
            continue
        if modifier == "below":
            stem = query.rstrip("/")
            if value == stem or value.startswith(stem + "/"):
                return True
        elif modifier == "above":
            if query.startswith(value) and (
                len(value) == len(query) or value.endswith("/") or query[len(value)] == "/"
            ):
                return True
        elif value == query:
            return True
    return False


def items_present(values: list[tuple[Any, str]], kind: str) -> bool:
    """Whether the values give anything a search of this type can see (what :missing asks)."""
    for value, value_kind in values:
        if kind == "string" and string_parts(value, value_kind):
            return True
        if kind == "token" and token_items(value, value_kind):
            return True
        if kind == "date" and date_spans(value, value_kind):
            return True
        if kind == "number" and number_spans(value, value_kind):
            return True
        if kind == "quantity" and quantity_items(value, value_kind):
            return True
        if kind == "uri" and isinstance(value, str) and value:
            return True
        if kind == "reference" and value_kind in ("Reference", "canonical", "uri", "url"):
            return True
        if kind == "reference" and value_kind == "Attachment" and isinstance(value, dict) and value.get("url"):
            return True
    return False


def value_match(kind: str, values: list[tuple[Any, str]], modifier: str | None, raw: str) -> bool:
    if kind == "string":
        return string_match(values, modifier, raw)
    if kind == "token":
        return token_match(values, modifier, raw)
    if kind == "reference":
        return reference_match(values, modifier, raw)
    if kind == "date":
        return date_match(values, raw)
    if kind == "number":
        return number_match(values, raw)
    if kind == "quantity":
        return quantity_match(values, raw)
    if kind == "uri":
        return uri_match(values, modifier, raw)
    raise AssertionError(kind)


# --- the oracle -------------------------------------------------------------------------------------------


@dataclass
class Stored:
    pk: int
    resource: dict[str, Any]

    @property
    def key(self) -> tuple[str, str]:
        return self.resource["resourceType"], self.resource["id"]


class Oracle:
    def __init__(self, stored: list[Stored]) -> None:
        self.by_type: dict[str, list[Stored]] = {}
        self.by_key: dict[tuple[str, str], Stored] = {}
        for item in sorted(stored, key=lambda s: s.pk):
            self.by_type.setdefault(item.resource["resourceType"], []).append(item)
            self.by_key[item.key] = item
        self._values: dict[tuple[int, str], list[tuple[Any, str]]] = {}
        self._matching: dict[tuple[str, str, str], set[tuple[str, str]]] = {}
        self._groups: dict[tuple[int, str], list[list[tuple[str, list[tuple[Any, str]]]]]] = {}

    def values(self, item: Stored, code: str) -> list[tuple[Any, str]]:
        cache_key = (item.pk, code)
        if cache_key not in self._values:
            definition = definitions(item.resource["resourceType"])[code]
            self._values[cache_key] = typed_values(item.resource, definition["expression"])
        return self._values[cache_key]

    # -- one URL parameter -----------------------------------------------------------------------------

    def matching(self, resource_type: str, key: str, raw: str) -> set[tuple[str, str]]:
        cache_key = (resource_type, key, raw)
        if cache_key not in self._matching:
            found = {s.key for s in self.by_type.get(resource_type, []) if self.criterion(s, key, raw)}
            self._matching[cache_key] = found
        return self._matching[cache_key]

    def criterion(self, item: Stored, key: str, raw: str) -> bool:
        resource_type = item.resource["resourceType"]
        if key.startswith("_has:"):
            _, source_type, reference_code, rest = key.split(":", 3)
            sources = self.matching(source_type, rest, raw)
            for source in sources:
                for value, kind in self.values(self.by_key[source], reference_code):
                    if kind == "Reference" and isinstance(value.get("reference"), str):
                        literal = literal_parse(value["reference"])
                        if literal.kind == "local" and (literal.type, literal.id) == item.key:
                            return True
            return False
        head, _, chain = key.partition(".")
        code, _, modifier = head.partition(":")
        if chain:
            definition = definitions(resource_type)[code]
            targets = [modifier] if modifier else definition["target"]
            next_code = chain.partition(".")[0].partition(":")[0]
            found = set()
            for target in targets:
                if next_code in definitions(target):
                    found |= self.matching(target, chain, raw)
            for value, kind in self.values(item, code):
                if kind == "Reference" and isinstance(value.get("reference"), str):
                    literal = literal_parse(value["reference"])
                    if literal.kind == "local" and (literal.type, literal.id) in found:
                        return True
            return False
        if code == "_id":
            wanted = {unescape(v) for v in split_unescaped(raw, ",")}
            inside = item.resource["id"] in wanted
            return not inside if modifier == "not" else inside
        definition = definitions(resource_type)[code]
        kind = definition["type"]
        if modifier == "missing":
            return self.missing(item, definition) == (raw == "true")
        alternatives = [v for v in split_unescaped(raw, ",") if v != ""]
        if kind == "composite":
            return any(self.composite_match(item, definition, v) for v in alternatives)
        values = self.values(item, code)
        if modifier == "not":
            return not any(value_match(kind, values, None, v) for v in alternatives)
        return any(value_match(kind, values, modifier or None, v) for v in alternatives)

    def groups(self, item: Stored, definition: dict[str, Any]) -> list[list[tuple[str, list[tuple[Any, str]]]]]:
        """For each element of a composite, each component's (type, values); only elements with every one."""
        cache_key = (item.pk, definition["code"])
        if cache_key not in self._groups:
            self._groups[cache_key] = self._groups_of(item, definition)
        return self._groups[cache_key]

    def _groups_of(self, item: Stored, definition: dict[str, Any]) -> list[list[tuple[str, list[tuple[Any, str]]]]]:
        complete = []
        for group in typed_values(item.resource, definition["expression"]):
            components = []
            for component in definition["component"]:
                kind = definition_by_url(component["definition"])["type"]
                values = component_values(group, component["expression"].replace("%resource.", ""))
                if kind == "token" and not any(i["code"] or i["system"] for v, k in values for i in token_items(v, k)):
                    break  # a component's text alone is nothing to search (components take no :text)
                if not items_present(values, kind):
                    break
                components.append((kind, values))
            else:
                complete.append(components)
        return complete

    def composite_match(self, item: Stored, definition: dict[str, Any], raw: str) -> bool:
        parts = split_unescaped(raw, "$")
        return any(
            all(value_match(kind, values, None, part) for (kind, values), part in zip(group, parts, strict=True))
            for group in self.groups(item, definition)
        )

    def missing(self, item: Stored, definition: dict[str, Any]) -> bool:
        if definition["type"] == "composite":
            return not self.groups(item, definition)
        return not items_present(self.values(item, definition["code"]), definition["type"])

    # -- whole searches --------------------------------------------------------------------------------

    def search(
        self, resource_type: str, criteria: list[tuple[str, str]], compartment: str | None = None
    ) -> set[tuple[str, str]]:
        candidates = {s.key for s in self.by_type.get(resource_type, [])}
        for key, raw in criteria:
            candidates &= self.matching(resource_type, key, raw)
        if compartment is not None:
            candidates &= self.in_compartment(resource_type, compartment)
        return candidates

    def in_compartment(self, resource_type: str, patient_id: str) -> set[tuple[str, str]]:
        from kaari.fhir.spec import patient_compartment_params

        found = set()
        for item in self.by_type.get(resource_type, []):
            if item.key == ("Patient", patient_id):
                found.add(item.key)
                continue
            for code in patient_compartment_params().get(resource_type, ()):
                if code not in definitions(resource_type):
                    continue
                for value, kind in self.values(item, code):
                    if kind == "Reference" and isinstance(value.get("reference"), str):
                        literal = literal_parse(value["reference"])
                        if literal.kind == "local" and (literal.type, literal.id) == ("Patient", patient_id):
                            found.add(item.key)
        return found

    def sort_value(self, item: Stored, code: str, descending: bool) -> Any:
        if code == "_id":
            return item.resource["id"]
        definition = definitions(item.resource["resourceType"])[code]
        kind = definition["type"]
        values = self.values(item, code)
        keys: list[Any]
        if kind == "string":
            keys = [normalised(p) for v, k in values for p in string_parts(v, k)]
        elif kind == "token":
            keys = [i["code"] for v, k in values for i in token_items(v, k) if i["code"]]
        elif kind == "date":
            spans = [s for v, k in values for s in date_spans(v, k)]
            keys = [s[1] if descending else s[0] for s in spans]
        elif kind == "number":
            spans_n = [s for v, k in values for s in number_spans(v, k)]
            keys = [s[1] if descending else s[0] for s in spans_n]
        elif kind == "quantity":
            spans_q = [q[0] for v, k in values for q in quantity_items(v, k)]
            keys = [s[1] if descending else s[0] for s in spans_q]
        elif kind == "uri":
            keys = [v for v, _ in values if isinstance(v, str) and v]
        else:
            raise AssertionError(kind)
        if not keys:
            return None
        return max(keys) if descending else min(keys)

    def sorted_keys(self, keys: set[tuple[str, str]], sort: list[tuple[str, bool]]) -> list[tuple[str, str]]:
        items = [self.by_key[k] for k in keys]
        items.sort(key=lambda s: s.pk)
        for code, descending in reversed(sort):
            present = [s for s in items if self.sort_value(s, code, descending) is not None]
            absent = [s for s in items if self.sort_value(s, code, descending) is None]
            present.sort(key=functools.partial(self.sort_value, code=code, descending=descending), reverse=descending)
            items = present + absent
        return [s.key for s in items]

    def included(self, matches: set[tuple[str, str]], source_type: str, code: str) -> set[tuple[str, str]]:
        found = set()
        for key in matches:
            item = self.by_key[key]
            if item.resource["resourceType"] != source_type:
                continue
            for value, kind in self.values(item, code):
                if kind == "Reference" and isinstance(value.get("reference"), str):
                    literal = literal_parse(value["reference"])
                    if literal.kind == "local" and (literal.type, literal.id) in self.by_key:
                        found.add((literal.type, literal.id))
        return found - matches

    def revincluded(self, matches: set[tuple[str, str]], source_type: str, code: str) -> set[tuple[str, str]]:
        found = set()
        for item in self.by_type.get(source_type, []):
            for value, kind in self.values(item, code):
                if kind == "Reference" and isinstance(value.get("reference"), str):
                    literal = literal_parse(value["reference"])
                    if literal.kind == "local" and (literal.type, literal.id) in matches:
                        found.add(item.key)
        return found - matches
