"""The chart's header comes in the first response; each block is its own gated, logged page view."""

from __future__ import annotations

import pytest

from kaari.access.models import AuditEntry

BLOCKS = ("health", "social", "timeline", "appointments", "documents")


def test_the_header_shows_identity_allergies_and_loads_every_block_by_htmx(signed_in):
    response = signed_in("dr_ahonen").get("/clients/aino/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "131052-9085" in body and "Penisilliini" in body
    for block in BLOCKS:
        assert f'hx-get="/clients/aino/{block}" hx-trigger="load"' in body


def test_the_health_block_shows_problems_medications_and_a_lab_trend(signed_in):
    body = signed_in("dr_ahonen").get("/clients/aino/health").content.decode()
    assert "Tyypin 2 diabetes" in body and "Metformiini" in body
    assert "<polyline" in body and "6.6" in body


@pytest.mark.parametrize("block", BLOCKS)
def test_each_block_is_one_logged_page_view(signed_in, block):
    client = signed_in("dr_ahonen")
    before = AuditEntry.objects.count()
    assert client.get(f"/clients/aino/{block}").status_code == 200
    assert AuditEntry.objects.count() == before + 1


def test_a_physician_is_told_social_welfare_data_exist_but_not_shown_them(signed_in):
    client = signed_in("dr_ahonen")
    header = client.get("/clients/aino/").content.decode()
    social = client.get("/clients/aino/social").content.decode()
    assert 'data-testid="withheld-social"' in header and 'data-testid="withheld-social"' in social
    assert "Kotihoito" not in social and "Doris Dahl" not in header


def test_the_timeline_can_show_only_social_welfare_events(signed_in):
    client = signed_in("sw_dahl")
    social = client.get("/clients/aino/timeline", {"kind": "social"}).content.decode()
    assert "event-health" not in social


def test_an_unknown_client_is_404(signed_in):
    assert signed_in("dr_ahonen").get("/clients/nobody/").status_code == 404


def test_the_chart_leads_a_physician_to_prescribing_and_laboratory_screens(signed_in):
    client = signed_in("dr_ahonen")
    header = client.get("/clients/aino/").content.decode()
    assert 'href="/clients/aino/medications/"' in header and 'href="/clients/aino/labs/"' in header
    assert client.get("/clients/aino/medications/").status_code == 200
    assert client.get("/clients/aino/labs/").status_code == 200
