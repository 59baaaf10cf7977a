"""The medications page: who the client is, the current list, and only for those whose access covers the client."""

from __future__ import annotations

from django.test import Client

from kaari.access.models import AuditEntry
from tests.access.personas import World
from tests.safety.prescribing.conftest import current_order, signed_in


def test_the_page_shows_the_client_and_the_current_medication(ahonen: Client):
    current_order("C10AA01", text="Simvastatiini 20 mg tabletti")
    response = ahonen.get("/clients/aino/medications/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Testi Aino" in html and "131052-9085" in html and 'href="/clients/aino/"' in html
    assert "Simvastatiini 20 mg tabletti" in html


def test_a_physician_without_a_relationship_is_refused(client: Client, world: World):
    current_order("C10AA01", text="Simvastatiini 20 mg tabletti")
    response = signed_in(client, "dr_berg").get("/clients/aino/medications/")
    assert response.status_code == 403
    assert "Simvastatiini" not in response.content.decode()
    assert AuditEntry.objects.latest("id").outcome == "4"


def test_a_social_worker_is_refused_the_health_care_medication_list(client: Client, world: World):
    current_order("C10AA01", text="Simvastatiini 20 mg tabletti")
    response = signed_in(client, "sw_dahl").get("/clients/aino/medications/")
    assert "Simvastatiini" not in response.content.decode()


def test_a_signed_out_user_is_sent_to_sign_in(client: Client, world: World):
    response = client.get("/clients/aino/medications/")
    assert response.status_code == 302 and response["Location"].startswith("/signin")


def test_an_unknown_client_is_not_found(ahonen: Client):
    assert ahonen.get("/clients/nobody/medications/").status_code in (403, 404)


def test_a_malformed_client_id_is_not_an_error(ahonen: Client):
    for path in ("/clients/a%20b/medications/", "/clients/" + "x" * 80 + "/medications/", "/clients/ä/medications/new"):
        assert ahonen.get(path).status_code in (400, 403, 404)


def test_the_medication_review_is_shown_passively(ahonen: Client):
    current_order("C10AA01", text="Simvastatiini 40 mg tabletti")
    current_order("J01FA09", text="Klaritromysiini 500 mg tabletti")
    html = ahonen.get("/clients/aino/medications/").content.decode()
    assert 'data-testid="review"' in html and "myopathy and rhabdomyolysis" in html
    assert 'data-testid="blocked"' not in html


def test_the_page_speaks_finnish_by_default_and_swedish_when_asked(ahonen: Client):
    assert "Voimassa oleva lääkitys" in ahonen.get("/clients/aino/medications/").content.decode()
    swedish = ahonen.get("/clients/aino/medications/", headers={"Accept-Language": "sv"}).content.decode()
    assert "Aktuell medicinering" in swedish


def test_the_chart_links_to_the_medications_page(ahonen: Client):
    assert 'href="/clients/aino/medications/"' in ahonen.get("/clients/aino/").content.decode()
