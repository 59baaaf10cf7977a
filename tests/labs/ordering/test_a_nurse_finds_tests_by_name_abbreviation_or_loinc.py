"""The catalogue search behind the order form: Finnish name, national abbreviation or LOINC code."""

from __future__ import annotations

import pytest

from kaari.labs.ordering.selectors import catalogue_search
from tests.labs.ordering.conftest import AINO, HTMX


def ids(query: str) -> list[str]:
    return [o.id for o in catalogue_search(query=query)]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("B -HbA1c", "b-hba1c"),
        ("hba1c", "b-hba1c"),
        ("fP -Kol-LDL", "fp-kol-ldl"),
        ("fp-kol-ldl", "fp-kol-ldl"),
        ("22748-8", "fp-kol-ldl"),
        ("59261-8", "b-hba1c"),
        ("tyreotropiini", "p-tsh"),
        ("Lipidit", "fp-lipidit"),
    ],
)
def test_the_best_match_comes_first(query, first):
    assert ids(query)[0] == first


def test_a_name_finds_every_test_that_contains_it():
    assert {"fp-kol", "fp-kol-hdl", "fp-kol-ldl"} <= set(ids("kolesteroli"))


def test_parts_that_cannot_be_ordered_alone_are_not_offered():
    assert "u-prot-o" not in ids("proteiini virtsasta")
    assert ids("") == [] and ids("   ") == []


def test_the_search_answers_htmx_with_the_matching_tests_to_add(sign_in):
    client = sign_in("nurse_ceder")

    response = client.get(AINO + "catalogue", {"q": "B -HbA1c"}, headers=HTMX)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="test" value="b-hba1c"' in page and "<html" not in page


def test_without_javascript_the_search_renders_the_whole_page_with_the_matches(sign_in):
    page = sign_in("nurse_ceder").get(AINO, {"q": "fP -Kol-LDL"}).content.decode()

    assert 'name="test" value="fp-kol-ldl"' in page and "<html" in page


def test_a_search_that_finds_nothing_says_so(sign_in):
    page = sign_in("nurse_ceder").get(AINO + "catalogue", {"q": "zzz"}, headers=HTMX).content.decode()

    assert "zzz" in page and 'name="test"' not in page


def test_an_overlong_search_is_ignored_not_an_error(sign_in):
    response = sign_in("nurse_ceder").get(AINO + "catalogue", {"q": "x" * 500}, headers=HTMX)

    assert response.status_code == 200 and 'name="test"' not in response.content.decode()
