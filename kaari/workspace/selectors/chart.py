"""One entry for the chart's fragments: each block by name, with whether data withheld from this user exist."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kaari.fhir.conventions import REGISTER_HEALTH, REGISTER_SOCIAL
from kaari.fhir.store import Store
from kaari.workspace.selectors.events import appointments_upcoming, documents_recent, timeline
from kaari.workspace.selectors.health import health_block
from kaari.workspace.selectors.social import social_block

BLOCKS = ("health", "social", "timeline", "appointments", "documents")


@dataclass(frozen=True)
class Block:
    content: Any
    withheld: list[str]  # registers of which data exist that this user may not see

    @property
    def health_withheld(self) -> bool:
        return REGISTER_HEALTH in self.withheld

    @property
    def social_withheld(self) -> bool:
        return REGISTER_SOCIAL in self.withheld


def chart_block(*, store: Store, patient_id: str, name: str, kind: str = "all") -> Block:
    """Raises AccessDenied (logged) when the user may not see the client at all, like the header."""
    store.read("Patient", patient_id)
    if name == "health":
        content: Any = health_block(store=store, patient_id=patient_id)
    elif name == "social":
        content = social_block(store=store, patient_id=patient_id)
    elif name == "timeline":
        content = timeline(store=store, patient_id=patient_id, kind=kind)
    elif name == "appointments":
        content = appointments_upcoming(store=store, patient_id=patient_id)
    elif name == "documents":
        content = documents_recent(store=store, patient_id=patient_id)
    else:
        raise ValueError(f"no block {name}")
    withheld = store.withheld_registers(patient_id) if name in ("health", "social") else []
    return Block(content=content, withheld=withheld)
