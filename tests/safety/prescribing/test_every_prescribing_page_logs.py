"""Every prescribing screen that touches the client's data writes exactly one access log entry per request,
refusals included; the catalogue search, which reads no client data, writes none."""

from __future__ import annotations

import pytest
from django.test import Client

from kaari.access.models import AuditEntry
from tests.access.personas import World
from tests.safety.prescribing.conftest import current_order, signed_in
from tests.safety.prescribing.pages import PRESCRIBING_REQUESTS


@pytest.mark.parametrize("pattern", sorted(PRESCRIBING_REQUESTS))
@pytest.mark.parametrize("persona", ["dr_ahonen", "dr_berg"])
def test_each_request_writes_one_entry_if_it_touches_client_data(
    pattern: str, persona: str, client: Client, world: World
):
    current_order("C10AA01", text="Simvastatiini")
    method, path, data, touches = PRESCRIBING_REQUESTS[pattern]
    user = signed_in(client, persona)
    before = AuditEntry.objects.count()
    response = user.get(path, HTTP_HX_REQUEST="true") if method == "GET" else user.post(path, data)
    assert response.status_code < 500
    assert AuditEntry.objects.count() == before + (1 if touches else 0)
    if touches:
        entry = AuditEntry.objects.latest("id")
        assert entry.actor == persona and entry.patient_id == "aino"
        assert (entry.outcome == "4") == (persona == "dr_berg")
