"""Write observers: code that keeps derived tables in step with the store, inside the write's transaction.

An observer is called for every write, whatever the gate, in the same database transaction as the write,
so a derived table (care relationships, consent rules, ...) can never drift from the resources it is
derived from: both commit or neither does. Observers must be fast and must not write through the store.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from kaari.lib.jsonutil import json_loads


@dataclass(frozen=True)
class Written:
    """One resource version just written (a deletion has no body)."""

    resource_type: str
    id: str
    version_id: int
    deleted: bool
    body: bytes
    compartment: str | None
    register: str
    keeper: str

    @cached_property
    def resource(self) -> dict[str, Any] | None:
        if self.deleted or not self.body:
            return None
        value = json_loads(self.body)
        return value if isinstance(value, dict) else None


WriteObserver = Callable[[Sequence[Written]], None]

_observers: list[WriteObserver] = []


def write_observer_register(observer: WriteObserver) -> None:
    """Call `observer` with every batch of writes from now on (once per observer)."""
    if observer not in _observers:
        _observers.append(observer)


def writes_notify(written: Sequence[Written]) -> None:
    for observer in list(_observers):
        observer(written)
