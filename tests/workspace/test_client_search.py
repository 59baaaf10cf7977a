"""Client search by identity code, name and birth date, through the gate."""

from __future__ import annotations

from kaari.access.models import AuditEntry


def test_an_identity_code_of_one_client_opens_the_chart_directly(signed_in):
    response = signed_in("dr_ahonen").get("/clients", {"q": "131052-9085"})
    assert response.status_code == 302
    assert response["Location"] == "/clients/aino/"


def test_live_results_list_the_client_with_age_and_no_redirect(signed_in):
    response = signed_in("dr_ahonen").get("/clients", {"q": "131052-9085"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b'href="/clients/aino/"' in response.content
    assert b"<html" not in response.content


def test_a_name_search_is_accent_insensitive(signed_in):
    response = signed_in("dr_ahonen").get("/clients", {"q": "ÄINÖ"})
    assert b'href="/clients/aino/"' in response.content


def test_a_birth_date_search_finds_the_client(signed_in):
    response = signed_in("dr_ahonen").get("/clients", {"q": "1.1.1970"})
    assert b'href="/clients/aino/"' in response.content
    assert b'href="/clients/veeti/"' not in response.content


def test_a_turvakielto_client_is_marked_and_shows_no_municipality(signed_in):
    response = signed_in("dr_ahonen").get("/clients", {"q": "Tuuli"})
    assert b'data-testid="turvakielto"' in response.content
    assert b"Kaarila" not in response.content


def test_clients_without_a_relationship_are_not_listed(signed_in):
    response = signed_in("dr_berg").get("/clients", {"q": "Aino"})
    assert b'href="/clients/aino/"' not in response.content


def test_an_unreachable_identity_code_offers_emergency_access_only(signed_in):
    response = signed_in("dr_berg").get("/clients", {"q": "131052-9085"})
    assert response.status_code == 200
    assert b'href="/clients/aino/"' in response.content
    assert b"Testi" not in response.content


def test_a_search_is_one_logged_page_view(signed_in):
    client = signed_in("dr_ahonen")
    before = AuditEntry.objects.count()
    client.get("/clients", {"q": "Aino"})
    assert AuditEntry.objects.count() == before + 1


def test_a_signed_out_search_goes_to_sign_in(world, client):
    response = client.get("/clients", {"q": "Aino"})
    assert response.status_code == 302
    assert response["Location"].startswith("/signin")
