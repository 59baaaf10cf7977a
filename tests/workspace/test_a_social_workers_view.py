"""A social worker sees the client's social welfare record and is told that health data exist."""

from __future__ import annotations


def test_the_social_worker_sees_the_case_decision_and_plan(signed_in):
    client = signed_in("sw_dahl")
    header = client.get("/clients/aino/").content.decode()
    social = client.get("/clients/aino/social").content.decode()
    assert "Doris Dahl" in header
    assert "Kotihoito" in social and "Asiakassuunnitelma" in social


def test_the_social_worker_does_not_see_health_data_but_knows_they_exist(signed_in):
    client = signed_in("sw_dahl")
    header = client.get("/clients/aino/").content.decode()
    health = client.get("/clients/aino/health").content.decode()
    assert 'data-testid="withheld-health"' in header
    assert "Penisilliini" not in header and "Tyypin 2 diabetes" not in health


def test_the_social_worker_writes_a_social_care_entry_that_reaches_the_timeline(signed_in):
    client = signed_in("sw_dahl")
    response = client.post(
        "/clients/aino/entries/new", {"title": "Kotikäynti", "text": "Asiakas tavattiin kotona; tilanne vakaa."}
    )
    assert response.status_code == 302
    timeline = client.get("/clients/aino/timeline", {"kind": "social"}).content.decode()
    assert "Kotikäynti" in timeline and "tilanne vakaa" in timeline
