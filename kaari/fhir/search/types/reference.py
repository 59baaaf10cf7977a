"""Reference parameters: literal references, absolute URLs, canonicals and logical identifiers.

A local reference (`Patient/1`, `Patient/1/_history/2`) is a row with target type, id and version and
no URL. An absolute RESTful URL keeps its URL (version cut off) and also its parsed type and id; other
URLs, `urn:` references and canonicals (`url|version`) keep only the URL and version. A contained
reference keeps `#id` as URL, so it counts for :missing but never matches a resource. Reference.identifier
fills the identifier columns for :identifier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from kaari.fhir.search.fhirpath import Node
from kaari.fhir.search.sql import SqlFragment, sql_all
from kaari.fhir.search.types.base import (
    QueryContext,
    Rows,
    SearchError,
    SearchType,
    value_split,
    value_unescape,
)
from kaari.fhir.spec import resource_types

if TYPE_CHECKING:
    from kaari.fhir.search.registry import SearchParameter

_LITERAL = re.compile(
    r"^(?:(?P<base>[a-z][a-z0-9+.-]*://.+?)/)?(?P<type>[A-Z][A-Za-z]+)/(?P<id>[A-Za-z0-9\-.]{1,64})"
    r"(?:/_history/(?P<version>[A-Za-z0-9\-.]{1,64}))?$"
)


@dataclass(frozen=True)
class ReferenceTarget:
    """What a literal reference points at: (type, id, version) when local, a URL when not."""

    target_type: str
    target_id: str
    version: str
    url: str


@lru_cache(maxsize=8192)  # a load refers to the same Patient and Encounter over and over
def reference_parse(literal: str) -> ReferenceTarget:
    match = _LITERAL.match(literal)
    if match is None or match.group("type") not in resource_types():
        return ReferenceTarget("", "", "", literal)
    base = match.group("base")
    kind, ident = match.group("type"), match.group("id")
    url = f"{base}/{kind}/{ident}" if base else ""
    return ReferenceTarget(kind, ident, match.group("version") or "", url)


@dataclass(frozen=True)
class ReferenceValue:
    target_type: str | None = None
    target_id: str | None = None
    version: str | None = None
    url: str | None = None
    identifier_system: str | None = None
    identifier_value: str | None = None


class Reference(SearchType):
    name = "reference"
    table = "fhir_idx_reference"
    columns = (
        "param",
        "grp",
        "target_type",
        "target_id",
        "target_version",
        "url",
        "identifier_system",
        "identifier_value",
    )
    indexable = frozenset({"Reference", "canonical", "uri", "url", "Attachment"})
    modifiers = frozenset({"identifier"})  # and every resource type, as :[type]

    def rows(self, param: SearchParameter, grp: int, nodes: list[Node], out: Rows, root: dict[str, Any]) -> None:
        rows = out[self.table]
        code = param.code
        for value, typed in nodes:
            kind = typed.code
            if kind == "Reference":
                identifier = value.get("identifier") or {}
                literal = value.get("reference")
                if isinstance(literal, str) and literal:
                    target = reference_parse(literal)
                    parts: tuple[str, str, str, str] = (
                        target.target_type,
                        target.target_id,
                        target.version,
                        target.url,
                    )
                else:
                    parts = ("", "", "", "")  # a logical reference resolves to nothing
                rows.append((code, grp, *parts, identifier.get("system") or "", identifier.get("value") or ""))
            elif kind == "Attachment":
                if value.get("url"):
                    rows.append((code, grp, "", "", "", value["url"], "", ""))
            elif isinstance(value, str):
                url, _, version = value.partition("|")
                rows.append((code, grp, "", "", version, url, "", ""))

    def value_parse(
        self, raw: str, modifier: str | None, param: SearchParameter, context: QueryContext
    ) -> ReferenceValue:
        if modifier == "identifier":
            parts = [value_unescape(p) for p in value_split(raw, "|")]
            if len(parts) == 1:
                return ReferenceValue(identifier_value=parts[0])
            if len(parts) == 2 and parts[1]:
                return ReferenceValue(identifier_system=parts[0], identifier_value=parts[1])
            raise SearchError(f"{param.code}:identifier needs [system|]value")
        text = value_unescape(raw)
        if modifier is not None:
            if modifier not in resource_types():
                raise SearchError(f"modifier :{modifier} is not supported on reference parameter {param.code}")
            if param.targets and modifier not in param.targets:
                raise SearchError(f"{param.code} cannot refer to {modifier}")
            if "/" in text:
                target = reference_parse(text)
                if target.target_type != modifier or target.url:
                    raise SearchError(f"{param.code}:{modifier} needs an id of a {modifier}")
                return ReferenceValue(modifier, target.target_id, target.version or None)
            return ReferenceValue(modifier, text)
        if context.base_url and text.startswith(context.base_url.rstrip("/") + "/"):
            text = text[len(context.base_url.rstrip("/")) + 1 :]
        if "/" not in text and ":" not in text:
            return ReferenceValue(None, text)
        target = reference_parse(text)
        if target.target_type and not target.url:
            return ReferenceValue(target.target_type, target.target_id, target.version or None)
        if target.url:
            return ReferenceValue(url=target.url, version=target.version or None)
        url, bar, version = text.partition("|")
        return ReferenceValue(url=url, version=version if bar else None)

    def condition(self, alias: str, value: ReferenceValue, modifier: str | None, param: SearchParameter) -> SqlFragment:
        parts: list[SqlFragment] = []
        if value.identifier_value is not None:
            parts.append(SqlFragment(f"{alias}.identifier_value = %s", (value.identifier_value,)))
            if value.identifier_system is not None:
                parts.append(SqlFragment(f"{alias}.identifier_system = %s", (value.identifier_system,)))
            return sql_all(parts)
        if value.url is not None:
            parts.append(SqlFragment(f"{alias}.url = %s", (value.url,)))
        else:
            parts.append(SqlFragment(f"{alias}.target_id = %s AND {alias}.url = ''", (value.target_id,)))
            if value.target_type is not None:
                parts.append(SqlFragment(f"{alias}.target_type = %s", (value.target_type,)))
        if value.version is not None:
            parts.append(SqlFragment(f"{alias}.target_version = %s", (value.version,)))
        return sql_all(parts)

    def sort_key(self, alias: str, descending: bool) -> str:
        key = f"{alias}.url || {alias}.target_type || '/' || {alias}.target_id"
        return f"{'max' if descending else 'min'}({key})"
