"""Every labs request that touches the client's data writes exactly one access log entry naming the nurse and the
client, whatever it reads and writes; the catalogue search reads no client data and writes none."""

from __future__ import annotations

import re
from datetime import timedelta

from kaari.access.models import AuditEntry
from tests.labs.ordering.conftest import AINO, HTMX
from tests.labs.ordering.helpers import hba1c_result, stored_load


def logged(request):
    """The request's response and the access log entries it wrote."""
    before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = request()
    assert response.status_code in (200, 302), response.status_code
    return response, list(AuditEntry.objects.filter(id__gt=before))


def entries_written(request) -> list[AuditEntry]:
    return logged(request)[1]


def one_entry_for_aino(entries: list[AuditEntry]) -> bool:
    return len(entries) == 1 and entries[0].actor == "nurse_ceder" and entries[0].patient_id == "aino"


def test_each_step_of_ordering_writes_one_entry(sign_in):
    client = sign_in("nurse_ceder")
    stored_load(hba1c_result("earlier", value=48, ago=timedelta(days=10)))

    assert one_entry_for_aino(entries_written(lambda: client.get(AINO)))
    assert one_entry_for_aino(entries_written(lambda: client.post(AINO + "orders", {"test": "b-hba1c"})))
    assert one_entry_for_aino(entries_written(lambda: client.post(AINO + "orders", {"test": "p-crp"})))
    signed, entries = logged(lambda: client.post(AINO + "orders/sign", headers=HTMX))
    assert one_entry_for_aino(entries)
    page = signed.content.decode()
    order = re.findall(r'name="order" value="([^"]+)"', page)[0]
    cards = re.findall(r'name="cards" value="([^"]+)"', page)
    override = {"order": order, "cards": cards, "reason": "acute-setting"}
    assert one_entry_for_aino(entries_written(lambda: client.post(AINO + "orders/override", override)))
    client.post(AINO + "orders", {"test": "p-tsh"})
    drafts = re.findall(r'name="order" value="([^"]+)"', client.get(AINO).content.decode())
    assert one_entry_for_aino(entries_written(lambda: client.post(AINO + "orders/remove", {"order": drafts[0]})))


def test_the_catalogue_search_writes_no_entry(sign_in):
    client = sign_in("nurse_ceder")

    assert entries_written(lambda: client.get(AINO + "catalogue", {"q": "HbA1c"}, headers=HTMX)) == []
