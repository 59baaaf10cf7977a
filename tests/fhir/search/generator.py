"""A seeded generator of realistic searches: values are drawn from the stored data, then cut, reshaped and
prefixed, so that most queries match something and many sit on a boundary (precision, prefixes, accents)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tests.fhir.search.oracle import (
    Oracle,
    Stored,
    date_span,
    date_spans,
    definitions,
    literal_parse,
    number_spans,
    quantity_items,
    string_parts,
    token_items,
)

SKIPPED_TYPES = frozenset({"special"})
PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap")


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace("$", "\\$").replace("|", "\\|")


@dataclass
class Query:
    resource_type: str
    criteria: list[tuple[str, str]]
    sort: list[tuple[str, bool]] = field(default_factory=list)
    count: int = 1000
    compartment: str | None = None

    def params(self) -> list[tuple[str, str]]:
        params = list(self.criteria)
        if self.sort:
            params.append(("_sort", ",".join(("-" if d else "") + c for c, d in self.sort)))
        params.append(("_count", str(self.count)))
        return params

    def __str__(self) -> str:
        where = f"Patient/{self.compartment}/" if self.compartment else ""
        return f"{where}{self.resource_type}?" + "&".join(f"{k}={v}" for k, v in self.params())


class QueryGenerator:
    def __init__(self, oracle: Oracle, seed: int) -> None:
        self.oracle = oracle
        self.rng = random.Random(seed)
        self.types = sorted(oracle.by_type)
        self.weights = [len(oracle.by_type[t]) ** 0.5 for t in self.types]
        self._params: dict[str, list[str]] = {}

    # -- choosing what to search -----------------------------------------------------------------------

    def params_with_data(self, resource_type: str) -> list[str]:
        if resource_type not in self._params:
            found = []
            for code, definition in sorted(definitions(resource_type).items()):
                if definition["type"] in SKIPPED_TYPES or not definition.get("expression") or code == "_id":
                    continue
                if "%resource" in str(definition.get("component")):
                    continue
                if any(self.oracle.values(s, code) for s in self.oracle.by_type[resource_type]):
                    found.append(code)
            self._params[resource_type] = found
        return self._params[resource_type]

    def resource_type(self) -> str:
        if self.rng.random() < 0.2:
            return self.rng.choice(self.types)  # the few hand-made types get their share
        return self.rng.choices(self.types, self.weights)[0]

    def holder(self, resource_type: str, code: str) -> Stored:
        holders = [s for s in self.oracle.by_type[resource_type] if self.oracle.values(s, code)]
        return self.rng.choice(holders)

    # -- one criterion from one resource's values --------------------------------------------------------

    def criterion(self, item: Stored, code: str) -> tuple[str, str] | None:
        definition = definitions(item.resource["resourceType"])[code]
        kind = definition["type"]
        if kind == "composite":
            return self.composite(item, definition)
        values = self.oracle.values(item, code)
        made = getattr(self, f"value_{kind}")(values)
        if made is None:
            return None
        modifier, value = made
        return (f"{code}:{modifier}" if modifier else code), value

    def value_string(self, values: list[tuple[Any, str]]) -> tuple[str | None, str] | None:
        parts = [p for v, k in values for p in string_parts(v, k) if p.strip()]
        if not parts:
            return None
        part = self.rng.choice(parts)
        roll = self.rng.random()
        if roll < 0.15:
            return "exact", escape(part if self.rng.random() < 0.8 else part.upper())
        if roll < 0.3:
            start = self.rng.randrange(len(part))
            return "contains", escape(part[start : start + self.rng.randint(1, 4)]) or escape(part)
        cut = part[: self.rng.randint(1, len(part))]
        if self.rng.random() < 0.3:
            cut = cut.upper() if self.rng.random() < 0.5 else cut.lower()
        return None, escape(cut)

    def value_token(self, values: list[tuple[Any, str]]) -> tuple[str | None, str] | None:
        items = [i for v, k in values for i in token_items(v, k)]
        coded = [i for i in items if i["code"]]
        roll = self.rng.random()
        texts = [t for i in items for t in i["texts"] if isinstance(t, str) and t.strip()]
        if roll < 0.1 and texts:
            text = self.rng.choice(texts)
            return "text", escape(text[: self.rng.randint(1, len(text))])
        typed = [i for i in coded if i.get("types")]
        if roll < 0.2 and typed:
            item = self.rng.choice(typed)
            type_system, type_code = self.rng.choice(item["types"])
            return "of-type", f"{escape(type_system or '')}|{escape(type_code or '')}|{escape(item['code'])}"
        if not coded:
            return None
        item = self.rng.choice(coded)
        code = escape(item["code"])
        system = escape(item["system"] or "")
        form = self.rng.random()
        modifier = "not" if self.rng.random() < 0.12 else None
        if form < 0.35:
            return modifier, code
        if form < 0.7 and system:
            return modifier, f"{system}|{code}"
        if form < 0.8:
            return modifier, f"|{code}"
        if form < 0.9 and system:
            return modifier, f"{system}|"
        return modifier, "no-such-code" if self.rng.random() < 0.5 else code

    def value_reference(self, values: list[tuple[Any, str]]) -> tuple[str | None, str] | None:
        choices: list[tuple[str | None, str]] = []
        for value, kind in values:
            if kind == "Reference" and isinstance(value, dict):
                if isinstance(value.get("reference"), str):
                    literal = literal_parse(value["reference"])
                    if literal.kind == "local":
                        choices.append((None, f"{literal.type}/{literal.id}"))
                        choices.append((None, literal.id))
                        choices.append((literal.type, literal.id))
                    elif literal.url:
                        choices.append((None, literal.url))
                identifier = value.get("identifier") or {}
                if identifier.get("value"):
                    choices.append(("identifier", f"{identifier.get('system', '')}|{identifier['value']}"))
                    choices.append(("identifier", identifier["value"]))
            elif isinstance(value, str):
                choices.append((None, value.partition("|")[0]))
        if not choices:
            return None
        modifier, value = self.rng.choice(choices)
        return modifier, value

    def value_date(self, values: list[tuple[Any, str]]) -> tuple[str | None, str] | None:
        texts = []
        for value, kind in values:
            if isinstance(value, str) and date_spans(value, kind):
                texts.append(value)
            elif isinstance(value, dict):
                texts.extend(v for k, v in value.items() if k in ("start", "end") and isinstance(v, str))
                texts.extend(e for e in value.get("event", []) if isinstance(e, str))
        if not texts:
            return None
        text = self.rng.choice(texts)
        cut = self.rng.choice([4, 7, 10, len(text), len(text)])
        text = text[:cut] if cut < len(text) and cut in (4, 7, 10) else text
        if self.rng.random() < 0.15:
            shifted = str(int(text[:4]) + self.rng.choice([-1, 1])) + text[4:]
            text = shifted if date_span(shifted) else text  # not onto a 29 February that does not exist
        return None, self.rng.choice(PREFIXES) + text

    def _number_text(self, number: float) -> str:
        exact = Decimal(repr(number))
        form = self.rng.random()
        if form < 0.4:
            return format(exact.normalize(), "f")
        if form < 0.7:
            return format(exact.quantize(Decimal(1)), "f")
        if form < 0.85:
            return format(exact.normalize(), "f") + ("0" if "." in format(exact.normalize(), "f") else ".0")
        return format(exact + Decimal(self.rng.choice([-1, 1])) * Decimal("0.5"), "f")

    def value_number(self, values: list[tuple[Any, str]]) -> tuple[str | None, str] | None:
        spans = [s for v, k in values for s in number_spans(v, k)]
        finite = [x for s in spans for x in s if abs(x) != float("inf")]
        if not finite:
            return None
        return None, self.rng.choice(PREFIXES) + self._number_text(self.rng.choice(finite))

    def value_quantity(self, values: list[tuple[Any, str]]) -> tuple[str | None, str] | None:
        items = [q for v, k in values for q in quantity_items(v, k)]
        finite = [(x, q) for q in items for x in q[0] if abs(x) != float("inf")]
        if not finite:
            return None
        number, (_, system, code, unit) = self.rng.choice(finite)
        text = self.rng.choice(PREFIXES) + self._number_text(number)
        form = self.rng.random()
        if form < 0.4 or not (code or unit):
            return None, text
        if form < 0.7 and system and code:
            return None, f"{text}|{escape(system)}|{escape(code)}"
        return None, f"{text}||{escape(self.rng.choice([c for c in (code, unit) if c]))}"

    def value_uri(self, values: list[tuple[Any, str]]) -> tuple[str | None, str] | None:
        uris = [v for v, _ in values if isinstance(v, str) and v]
        if not uris:
            return None
        uri = self.rng.choice(uris)
        roll = self.rng.random()
        if roll < 0.3 and "/" in uri.rstrip("/"):
            return "below", uri[: uri.rstrip("/").rindex("/")]
        if roll < 0.6:
            return "above", uri + self.rng.choice(["", "/x", "/x/y"])
        return None, uri

    def composite(self, item: Stored, definition: dict[str, Any]) -> tuple[str, str] | None:
        groups = self.oracle.groups(item, definition)
        if not groups:
            return None
        group = self.rng.choice(groups)
        parts = []
        for position, (kind, values) in enumerate(group):
            made = getattr(self, f"value_{kind}")(values)
            if made is None or made[0] is not None:
                # Components take no modifiers: use a plain form.
                for _ in range(5):
                    made = getattr(self, f"value_{kind}")(values)
                    if made is not None and made[0] is None:
                        break
                else:
                    return None
            assert made is not None
            value = made[1]
            if kind == "token" and value == "no-such-code" and position == 0:
                return None
            parts.append(value)
        return definition["code"], "$".join(parts)

    # -- whole queries ---------------------------------------------------------------------------------

    def filtered(self) -> Query:
        for _ in range(50):
            resource_type = self.resource_type()
            codes = self.params_with_data(resource_type)
            if not codes:
                continue
            shape = self.rng.random()
            # A type first, then one of its parameters: rare types (uri, number) get their share.
            kinds = sorted({definitions(resource_type)[c]["type"] for c in codes})
            kind = self.rng.choice(kinds)
            code = self.rng.choice([c for c in codes if definitions(resource_type)[c]["type"] == kind])
            item = self.holder(resource_type, code)
            first = self.criterion(item, code)
            if first is None:
                continue
            if shape < 0.5:
                return Query(resource_type, [first])
            if shape < 0.65:
                other = self.criterion(self.holder(resource_type, code), code)
                if other is None or other[0] != first[0] or "," in first[1] + other[1]:
                    continue
                return Query(resource_type, [(first[0], f"{first[1]},{other[1]}")])
            if shape < 0.82:
                second_code = self.rng.choice([c for c in codes if self.oracle.values(item, c)])
                second = self.criterion(item, second_code)
                if second is None:
                    continue
                return Query(resource_type, [first, second])
            return Query(resource_type, [(f"{code}:missing", self.rng.choice(["true", "false"]))])
        raise AssertionError("no query could be made from the data")

    def chained(self) -> Query | None:
        resource_type = self.resource_type()
        references = [
            c for c in self.params_with_data(resource_type) if definitions(resource_type)[c]["type"] == "reference"
        ]
        if not references:
            return None
        code = self.rng.choice(references)
        item = self.holder(resource_type, code)
        targets = [
            literal_parse(v["reference"])
            for v, k in self.oracle.values(item, code)
            if k == "Reference" and isinstance(v.get("reference"), str)
        ]
        targets = [t for t in targets if t.kind == "local" and (t.type, t.id) in self.oracle.by_key]
        if not targets:
            return None
        target = self.rng.choice(targets)
        stored = self.oracle.by_key[(target.type, target.id)]
        inner_codes = [c for c in self.params_with_data(target.type) if self.oracle.values(stored, c)]
        if not inner_codes:
            return None
        inner_code = self.rng.choice(inner_codes)
        if definitions(target.type)[inner_code]["type"] == "reference" and self.rng.random() < 0.5:
            deeper = self.chained_from(stored, inner_code)
            if deeper is not None:
                return Query(resource_type, [(f"{code}:{target.type}.{inner_code}{deeper[0]}", deeper[1])])
        inner = self.criterion(stored, inner_code)
        if inner is None:
            return None
        single_target = len(definitions(resource_type)[code].get("target", [])) == 1
        typed = code if single_target and self.rng.random() < 0.5 else f"{code}:{target.type}"
        return Query(resource_type, [(f"{typed}.{inner[0]}", inner[1])])

    def chained_from(self, item: Stored, code: str) -> tuple[str, str] | None:
        targets = [
            literal_parse(v["reference"])
            for v, k in self.oracle.values(item, code)
            if k == "Reference" and isinstance(v.get("reference"), str)
        ]
        targets = [t for t in targets if t.kind == "local" and (t.type, t.id) in self.oracle.by_key]
        if not targets:
            return None
        target = self.rng.choice(targets)
        stored = self.oracle.by_key[(target.type, target.id)]
        codes = [c for c in self.params_with_data(target.type) if self.oracle.values(stored, c)]
        codes = [c for c in codes if definitions(target.type)[c]["type"] != "composite"]
        if not codes:
            return None
        inner = self.criterion(stored, self.rng.choice(codes))
        if inner is None:
            return None
        return f":{target.type}.{inner[0]}", inner[1]

    def reverse_chained(self) -> Query | None:
        source_type = self.resource_type()
        references = [
            c for c in self.params_with_data(source_type) if definitions(source_type)[c]["type"] == "reference"
        ]
        if not references:
            return None
        code = self.rng.choice(references)
        source = self.holder(source_type, code)
        targets = [
            literal_parse(v["reference"])
            for v, k in self.oracle.values(source, code)
            if k == "Reference" and isinstance(v.get("reference"), str)
        ]
        targets = [t for t in targets if t.kind == "local" and (t.type, t.id) in self.oracle.by_key]
        if not targets:
            return None
        target_type = self.rng.choice(targets).type
        inner_codes = [c for c in self.params_with_data(source_type) if self.oracle.values(source, c)]
        inner_codes = [c for c in inner_codes if definitions(source_type)[c]["type"] != "composite"]
        inner = self.criterion(source, self.rng.choice(inner_codes)) if inner_codes else None
        if inner is None:
            return None
        return Query(target_type, [(f"_has:{source_type}:{code}:{inner[0]}", inner[1])])

    def in_compartment(self) -> Query | None:
        patients = self.oracle.by_type.get("Patient", [])
        if not patients:
            return None
        patient = self.rng.choice(patients).resource["id"]
        query = self.filtered()
        if self.rng.random() < 0.3:
            query.criteria = []
        query.compartment = patient
        return query

    def query(self) -> Query:
        roll = self.rng.random()
        made: Query | None = None
        if roll < 0.1:
            made = self.chained()
        elif roll < 0.16:
            made = self.reverse_chained()
        elif roll < 0.21:
            made = self.in_compartment()
        return made or self.filtered()

    def sorted_query(self) -> Query:
        query = self.filtered() if self.rng.random() < 0.7 else Query(self.resource_type(), [])
        sortable = [
            c
            for c in self.params_with_data(query.resource_type)
            if definitions(query.resource_type)[c]["type"] in ("string", "token", "date", "number", "quantity", "uri")
        ]
        keys = self.rng.sample(sortable, min(len(sortable), self.rng.choice([1, 1, 2])))
        if self.rng.random() < 0.2:
            keys.append("_id")
        query.sort = [(k, self.rng.random() < 0.5) for k in keys]
        query.count = self.rng.randint(1, 12)
        return query
