"""Who calls a CDS service, and the store behind their gate: obtained exactly as the FHIR API obtains it."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from kaari.fhir.rest.views import store_for
from kaari.fhir.store import Store


@dataclass
class Caller:
    store: Store
    # Who the token names, for the call and feedback records ("" while the gate does not say).
    name: str

    def close(self, *, status: int) -> None:
        """End the request: the gate writes what it must (its access log entry) before the answer leaves."""


def caller_open(request: HttpRequest) -> Caller:
    return Caller(store=store_for(request), name="")
