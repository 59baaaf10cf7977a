"""Results show with their ranges and flags, in words as well as colour, whatever shape they come in: coded
values, text, no range, no date, a sample that could not be analysed, components. Vital signs are not lab results."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.labs.ordering.conftest import AINO
from tests.labs.ordering.helpers import LABORATORY, LOINC, NOW, hba1c_result, stored_load


def observation(observation_id: str, code: str, **fields) -> dict:
    return {
        "resourceType": "Observation",
        "id": observation_id,
        "status": "final",
        "category": [LABORATORY],
        "code": {"coding": [{"system": LOINC, "code": code}]},
        "subject": {"reference": "Patient/aino"},
        "effectiveDateTime": (NOW - timedelta(days=3)).isoformat(),
        **fields,
    }


def rows_of(page: str, analyte: str) -> str:
    start = page.index(f'data-analyte="{analyte}"')
    end = page.find('data-testid="test-results"', start + 1)
    return page[start : end if end > 0 else len(page)]


def test_a_critically_low_potassium_is_flagged_in_words(sign_in):
    stored_load(
        observation(
            "k-low",
            "2823-3",
            valueQuantity={"value": 2.4, "unit": "mmol/L"},
            referenceRange=[{"low": {"value": 3.3}, "high": {"value": 4.9}}],
            interpretation=[{"coding": [{"code": "LL"}]}],
        )
    )

    section = rows_of(sign_in("nurse_ceder").get(AINO).content.decode(), "analyte:k")

    assert "2,4 mmol/L" in section and "3,3–4,9" in section
    assert 'data-flag="LL"' in section and "Kriittisen matala" in section


def test_a_result_without_interpretation_is_flagged_against_its_range(sign_in):
    stored_load(
        observation(
            "crp-high", "1988-5", valueQuantity={"value": 48, "unit": "mg/L"}, referenceRange=[{"high": {"value": 10}}]
        )
    )

    section = rows_of(sign_in("nurse_ceder").get(AINO).content.decode(), "analyte:crp")

    assert "&lt; 10" in section and 'data-flag="H"' in section and "Korkea" in section


def test_coded_text_absent_undated_and_unknown_results_are_all_shown(sign_in):
    stored_load(
        observation("coded", "5802-4", valueCodeableConcept={"coding": [{"code": "NEG", "display": "Negatiivinen"}]}),
        observation("text", "14635-7", valueString="hemolysoitunut näyte"),
        observation("absent", "3016-3", dataAbsentReason={"text": "näyte hävinnyt"}),
        observation("below", "1742-6", valueQuantity={"value": 30, "comparator": "<", "unit": "U/L"}),
        {**observation("unknown", "99999-9", valueQuantity={"value": 1.5}), "code": {"text": "Harvinainen tutkimus"}},
    )
    undated = observation("undated", "1742-6", valueQuantity={"value": 31})
    del undated["effectiveDateTime"]
    stored_load(undated)

    response = sign_in("nurse_ceder").get(AINO)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Negatiivinen" in page and "hemolysoitunut näyte" in page
    assert "Ei tulosta (näyte hävinnyt)" in page
    assert "&lt;30 U/L" in page and "Päivämäärä ei tiedossa" in page
    assert "Harvinainen tutkimus" in page


def test_a_result_with_components_shows_each_component(sign_in):
    stored_load(
        observation(
            "panel",
            "24331-1",
            component=[
                {"code": {"coding": [{"system": LOINC, "code": "22748-8"}]}, "valueQuantity": {"value": 3.9}},
                {"code": {"coding": [{"system": LOINC, "code": "14646-4"}]}, "valueQuantity": {"value": 1.4}},
            ],
        )
    )

    page = sign_in("nurse_ceder").get(AINO).content.decode()

    assert "3,9" in rows_of(page, "analyte:ldl") and "1,4" in rows_of(page, "analyte:hdl")


def test_vital_signs_are_not_shown_as_laboratory_results(sign_in):
    vital = observation("bp", "85354-9", valueQuantity={"value": 120})
    vital["category"] = [{"coding": [{"code": "vital-signs"}]}]
    stored_load(vital)

    assert 'data-analyte="code:http://loinc.org|85354-9"' not in sign_in("nurse_ceder").get(AINO).content.decode()


def test_each_test_has_a_trend_chart_with_the_range_band_title_and_description(sign_in):
    stored_load(
        hba1c_result("h1", value=52, ago=timedelta(days=400)),
        hba1c_result("h2", value=47, ago=timedelta(days=200)),
        hba1c_result("h3", value=41, ago=timedelta(days=10)),
    )

    section = rows_of(sign_in("nurse_ceder").get(AINO).content.decode(), "analyte:hba1c")

    svg = section[section.index("<svg") : section.index("</svg>")]
    assert '<svg class="trend" role="img"' in svg and "<title" in svg and "<desc" in svg
    assert 'fill="#dcefe0"' in svg  # the reference range band
    assert len(re.findall(r'class="point"', svg)) == 3
    assert section.count('data-testid="result-row"') == 4  # three in mmol/mol and the world's undated 6.1 %
