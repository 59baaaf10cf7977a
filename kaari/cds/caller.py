"""Who calls a CDS service, and the store behind their gate: obtained exactly as the FHIR API obtains it.

A Kaari bearer token is required (401 otherwise). The gate is a request gate: every read the service makes
through it is checked against the caller's scopes and care relationships and gathered into the request's single
access log entry, which `close` writes before the answer leaves.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from kaari.access.authentication import NotAuthenticated, bearer_principal, request_gate
from kaari.access.gate import AccessGate
from kaari.cds.errors import CdsError
from kaari.fhir.store import Store


class CdsNotAuthenticated(CdsError):
    status = 401
    code = "unauthorized"


@dataclass
class Caller:
    store: Store
    # Who the token names, for the call and feedback records.
    name: str
    gate: AccessGate

    def note(self, *, patient_id: str, what: str) -> None:
        """Put a use of the patient's data that does not go through the store (the call itself, its records, the
        feedback) into the request's access log entry, so that a call answered from prefetch alone is logged too."""
        self.gate.access_note(action="operation", patient=patient_id, what=what)

    def close(self, *, status: int) -> None:
        """End the request: the gate writes its access log entry (if it touched client data) before the answer."""
        self.gate.scope_close(status=status)


def caller_open(request: HttpRequest) -> Caller:
    try:
        principal = bearer_principal(request)
    except NotAuthenticated as exc:
        raise CdsNotAuthenticated(exc.message) from exc
    gate = request_gate(request, principal)
    if gate.scope is not None:
        gate.scope.action = "operation"
    return Caller(store=Store(gate), name=principal.username, gate=gate)


def caller_of_store(store: Store) -> Caller:
    """The caller for a service run in-process by a Kaari screen (prescribing, lab ordering): the signed-in user's
    gated store from the page view, whose access log entry the page view writes."""
    gate = store.gate
    if not isinstance(gate, AccessGate):
        raise TypeError("an in-process CDS call needs a store behind a user's AccessGate")
    return Caller(store=store, name=gate.principal.username, gate=gate)
