"""Parametrised SQL fragments. User input only ever travels in `params`, never in `sql`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SqlFragment:
    """SQL text with `%s` placeholders and their values.

    A restriction handed to the search engine is a fragment over the `fhir_resource` row aliased `r`,
    e.g. `SqlFragment("r.register = %s", ("health-care",))`.
    """

    sql: str
    params: tuple[Any, ...] = ()

    def __add__(self, other: SqlFragment) -> SqlFragment:
        return SqlFragment(self.sql + other.sql, self.params + other.params)

    def wrap(self, before: str, after: str = "") -> SqlFragment:
        return SqlFragment(before + self.sql + after, self.params)


# The caller's condition on the `fhir_resource` row `r`, for resources of one type (or of any type: None).
Restriction = Callable[[str | None], SqlFragment | None]


def unrestricted(resource_type: str | None) -> SqlFragment | None:
    return None


TRUE = SqlFragment("1 = 1")
FALSE = SqlFragment("1 = 0")


def sql_join(parts: Iterable[SqlFragment], separator: str) -> SqlFragment:
    parts = list(parts)
    return SqlFragment(separator.join(p.sql for p in parts), tuple(v for p in parts for v in p.params))


def sql_all(parts: Iterable[SqlFragment]) -> SqlFragment:
    parts = [p for p in parts if p is not TRUE]
    if not parts:
        return TRUE
    return sql_join((p.wrap("(", ")") for p in parts), " AND ")


def sql_any(parts: Iterable[SqlFragment]) -> SqlFragment:
    parts = list(parts)
    if not parts:
        return FALSE
    if len(parts) == 1:
        return parts[0]
    return sql_join((p.wrap("(", ")") for p in parts), " OR ").wrap("(", ")")


def sql_in(column: str, values: Iterable[Any]) -> SqlFragment:
    values = list(values)
    if not values:
        return FALSE
    if len(values) == 1:
        return SqlFragment(f"{column} = %s", (values[0],))
    return SqlFragment(f"{column} IN ({', '.join(['%s'] * len(values))})", tuple(values))


def like_escape(value: str) -> str:
    """Escape LIKE wildcards; pair with `ESCAPE '\\'`."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def prefix_successor(prefix: str) -> str:
    """The smallest string greater than every string starting with `prefix` (code-point order)."""
    last = ord(prefix[-1]) + 1
    if 0xD800 <= last <= 0xDFFF:
        last = 0xE000  # skip the surrogates, which cannot be encoded
    if last > 0x10FFFF:
        return prefix_successor(prefix[:-1]) if len(prefix) > 1 else "\U0010ffff" * 2
    return prefix[:-1] + chr(last)


def prefix_range(column: str, prefix: str) -> SqlFragment:
    """`column` starts with `prefix`, as an index-friendly range (columns are code-point collated)."""
    return SqlFragment(f"{column} >= %s AND {column} < %s", (prefix, prefix_successor(prefix)))
