"""What the store hands out: stored resources and the results of writes and history reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from kaari.lib.jsonutil import json_loads


def instant_format(moment: datetime) -> str:
    """A FHIR instant with millisecond precision in UTC."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+00:00"


@dataclass
class StoredResource:
    """One version of a resource as stored. `body` is the JSON exactly as it will be served."""

    pk: int
    resource_type: str
    id: str
    version_id: int
    last_updated: datetime
    deleted: bool
    body: bytes
    compartment: str | None = None
    register: str = ""
    keeper: str = ""
    method: str = ""

    @cached_property
    def resource(self) -> dict[str, Any]:
        value = json_loads(self.body)
        assert isinstance(value, dict)
        return value

    @property
    def etag(self) -> str:
        return f'W/"{self.version_id}"'

    @property
    def last_modified(self) -> str:
        return instant_format(self.last_updated)

    @property
    def reference(self) -> str:
        return f"{self.resource_type}/{self.id}"


@dataclass
class WriteResult:
    stored: StoredResource
    created: bool = False
    # True when a conditional create found the resource already there and wrote nothing.
    matched_existing: bool = False


@dataclass
class HistoryPage:
    entries: list[StoredResource]
    # Continue after this version-row key for the next page; None on the last page.
    next_cursor: int | None = None
    total: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
