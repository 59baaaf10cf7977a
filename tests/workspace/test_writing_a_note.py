"""A clinical note under the national headings is saved as a Composition and appears on the timeline."""

from __future__ import annotations

from kaari.access.services import system_store
from kaari.fhir.search.service import SearchRequest


def test_a_note_is_saved_under_its_headings_and_shown_on_the_timeline(signed_in):
    client = signed_in("dr_ahonen")
    response = client.post(
        "/clients/aino/notes/new", {"tulosyy": "Verensokerin seuranta", "arvio": "Hoitotasapaino <hyvä>"}
    )
    assert response.status_code == 302
    timeline = client.get("/clients/aino/timeline").content.decode()
    assert "Verensokerin seuranta" in timeline and "Hoitotasapaino &lt;hyvä&gt;" in timeline
    stored = system_store("test").search(SearchRequest(("Composition",), (("patient", "aino"),))).result.matches
    assert [section["title"] for section in stored[0].resource["section"]] == ["Tulosyy", "Arvio"]
    assert stored[0].register == "health-care" and stored[0].keeper == "hc-north"


def test_an_empty_note_is_refused_with_a_message_and_nothing_is_stored(signed_in):
    client = signed_in("dr_ahonen")
    response = client.post("/clients/aino/notes/new", {"tulosyy": "  "})
    assert response.status_code == 400
    assert b'role="alert"' in response.content
    assert not system_store("test").search(SearchRequest(("Composition",), ())).result.matches


def test_a_physician_without_a_relationship_cannot_write(signed_in):
    response = signed_in("dr_berg").post("/clients/aino/notes/new", {"tulosyy": "x"})
    assert response.status_code == 403
