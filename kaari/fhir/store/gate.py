"""The seam where access control and audit sit on the store API.

Every `Store` is built with a `Gate`; each store operation asks the gate before it discloses or writes
anything and tells it what was disclosed. The access app (kaari.access) provides the gates for
professionals, residents, integrations and system jobs; `TrustedGate` is for the store's own unit tests only.

Reads are decided with SQL: `read_check` is an expression over the current `fhir_resource` row aliased `r`
that the store evaluates in the same query that reads the row and hands to `authorize_read`, which decides
from it (it is the basis itself, NULL when the actor may not see the row, or what the gate needs to look the
decision up). Search and history filter with `restriction`, a condition over `r`, so that a forbidden
resource is never disclosed, included or counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from kaari.fhir.store.records import StoredResource


@dataclass(frozen=True)
class Labels:
    """Where a written resource belongs: its register and keeper organisation (empty when not decided)."""

    register: str = ""
    keeper: str = ""


@dataclass(frozen=True)
class SqlRestriction:
    """SQL over the `fhir_resource` row aliased `r`, with its parameters."""

    sql: str
    params: tuple[Any, ...] = field(default_factory=tuple)


class Gate(Protocol):
    def read_check(self, resource_type: str) -> SqlRestriction | None:
        """An SQL expression over `r` whose value `authorize_read` decides from; None: no check."""

    def authorize_read(self, stored: StoredResource, *, basis: str | None) -> None:
        """Raise AccessDenied unless the actor may see this resource; `basis` is `read_check`'s value on its row."""

    def authorize_write(
        self,
        *,
        action: str,
        resource_type: str,
        resource: dict[str, Any] | None,
        current: StoredResource | None,
        compartment: str | None,
    ) -> Labels:
        """Raise AccessDenied unless the actor may write; return the labels the write carries. `compartment` is
        the Patient whose compartment holds `resource` (`compartment_of`), which the store has computed already."""

    def restriction(self, resource_type: str | None, *, patient: str | None = None) -> SqlRestriction | None:
        """The condition every disclosed search result, include, count and history entry must meet. `patient`, when
        given, names the one client the reading is about: a hint the gate may use for speed, never for decisions."""

    def disclose(self, resource: dict[str, Any]) -> dict[str, Any]:
        """The resource as this actor may see it (e.g. with protected address elements removed)."""

    def needs_redaction(self, stored: StoredResource) -> bool:
        """Whether `disclose` would change the resource; False lets reads return the stored bytes."""

    def record(self, *, action: str, resources: list[StoredResource], query: str | None = None) -> None:
        """Note what this operation disclosed or wrote, for the access log."""


class TrustedGate:
    """Everything allowed, nothing logged: only for the store's own unit tests, never on a real path."""

    def read_check(self, resource_type: str) -> SqlRestriction | None:
        return None

    def authorize_read(self, stored: StoredResource, *, basis: str | None) -> None:
        return None

    def authorize_write(
        self,
        *,
        action: str,
        resource_type: str,
        resource: dict[str, Any] | None,
        current: StoredResource | None,
        compartment: str | None,
    ) -> Labels:
        return Labels()

    def restriction(self, resource_type: str | None, *, patient: str | None = None) -> SqlRestriction | None:
        return None

    def disclose(self, resource: dict[str, Any]) -> dict[str, Any]:
        return resource

    def needs_redaction(self, stored: StoredResource) -> bool:
        return False

    def record(self, *, action: str, resources: list[StoredResource], query: str | None = None) -> None:
        return None
