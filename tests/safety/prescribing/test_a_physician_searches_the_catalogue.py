"""The live drug search (htmx) finds catalogue products by Finnish name, substance or ATC code and shows name,
strength, form and ATC."""

from __future__ import annotations

from django.test import Client

HTMX = {"HX-Request": "true"}


def _search(client: Client, query: str) -> str:
    response = client.get("/clients/aino/medications/search", {"q": query}, headers=HTMX)
    assert response.status_code == 200
    return response.content.decode()


def test_a_finnish_name_finds_every_strength_and_form(ahonen: Client):
    html = _search(ahonen, "klaritro")
    assert "Klaritromysiini" in html and "250 mg" in html and "500 mg" in html and "oraalisuspensio" in html
    assert "J01FA09" in html and "product=J01FA09-tabletti-500-mg" in html


def test_the_substance_in_english_and_the_atc_code_find_it_too(ahonen: Client):
    assert "Klaritromysiini" in _search(ahonen, "clarithromycin")
    assert "Klaritromysiini" in _search(ahonen, "J01FA09")


def test_a_search_without_matches_says_so(ahonen: Client):
    html = _search(ahonen, "zzzqqq")
    assert 'role="status"' in html and "<table" not in html


def test_an_empty_search_shows_nothing(ahonen: Client):
    assert "<table" not in _search(ahonen, "  ")


def test_without_htmx_the_search_is_the_page_with_results(ahonen: Client):
    response = ahonen.get("/clients/aino/medications/search", {"q": "klaritro"})
    assert response.status_code == 302 and response["Location"] == "/clients/aino/medications/?q=klaritro"
    assert "Klaritromysiini" in ahonen.get(response["Location"]).content.decode()
