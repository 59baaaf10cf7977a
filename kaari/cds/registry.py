"""One shape for every CDS service: what discovery lists and what the runtime calls.

Each Django app that offers services has a `cds_services` module with `SERVICES: tuple[CdsService, ...]`;
the registry collects them at first use. A service is data plus one pure-ish handler
`handler(request) -> list[Card]`: the runtime validates the request, completes the prefetch from Kaari's store
through the caller's gate, records the call and answers.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from django.apps import apps

if TYPE_CHECKING:
    from kaari.cds.cards import Card
    from kaari.cds.hooks import CdsRequest

Handler = Callable[["CdsRequest"], "list[Card]"]


@dataclass(frozen=True)
class CdsService:
    id: str
    hook: str
    title: str
    description: str
    handler: Handler = field(compare=False)
    # Prefetch templates (CDS Hooks 2.0 §Prefetch): key -> FHIR read or search URL with {{context.x}} tokens.
    prefetch: Mapping[str, str] = field(default_factory=dict)
    usage_requirements: str | None = None
    # The draft order types the service checks; their number is the denominator of the alert rate.
    order_types: frozenset[str] = frozenset()

    def discovery_json(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "hook": self.hook,
            "title": self.title,
            "description": self.description,
            "id": self.id,
        }
        if self.prefetch:
            entry["prefetch"] = dict(self.prefetch)
        if self.usage_requirements:
            entry["usageRequirements"] = self.usage_requirements
        return entry


class RegistryError(Exception):
    """Two services share an id, or a service names a hook Kaari does not implement."""


@cache
def services() -> dict[str, CdsService]:
    from kaari.cds.hooks import HOOKS

    found: dict[str, CdsService] = {}
    for app in apps.get_app_configs():
        name = f"{app.name}.cds_services"
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        for service in getattr(module, "SERVICES", ()):
            if service.id in found:
                raise RegistryError(f"two CDS services are called {service.id!r}")
            if service.hook not in HOOKS:
                raise RegistryError(f"CDS service {service.id!r} names hook {service.hook!r}, which Kaari lacks")
            found[service.id] = service
    return found


def discovery_json() -> dict[str, Any]:
    """The body of GET /cds-services."""
    return {"services": [service.discovery_json() for service in services().values()]}
