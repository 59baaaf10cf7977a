import pytest

from kaari.fhir.validation import validate_resource

from .factories import patient_build, problems

XHTML = 'xmlns="http://www.w3.org/1999/xhtml"'


def narrative(div: str) -> dict:
    return patient_build(text={"status": "generated", "div": div})


@pytest.mark.parametrize(
    "div",
    [
        f"<div {XHTML}>Aino</div>",
        f"<div {XHTML}><p>Aino &amp; Eero</p><table><tr><td>1</td></tr></table></div>",
        f"<div {XHTML}>Aino&nbsp;Virtanen</div>",
        f'<div {XHTML} lang="fi"><a href="Patient/aino">Aino</a></div>',
    ],
)
def test_a_well_formed_xhtml_div_is_accepted(div):
    assert problems(narrative(div)) == []


@pytest.mark.parametrize(
    "div",
    [
        "Aino Virtanen",
        f"<p {XHTML}>Aino</p>",
        f"<div {XHTML}><p>Aino</div>",
        f"<div {XHTML}>Aino</div><div {XHTML}>Eero</div>",
        "<div>Aino</div>",
        f"<div {XHTML}>Aino & Eero</div>",
    ],
)
def test_a_narrative_that_is_not_a_well_formed_xhtml_div_is_rejected(div):
    assert problems(narrative(div)) == [("value", "Patient.text.div")]


def test_the_reason_names_the_xml_error():
    issues = validate_resource(narrative(f"<div {XHTML}><p>Aino</div>"))
    assert "not well-formed XHTML: mismatched tag" in issues[0].diagnostics


def test_a_narrative_needs_its_status_and_div():
    assert problems(patient_build(text={"div": f"<div {XHTML}>Aino</div>"})) == [("required", "Patient.text.status")]
    assert problems(patient_build(text={"status": "generated"})) == [("required", "Patient.text.div")]


def test_a_narrative_div_carries_no_extensions():
    # The xhtml type's definition sets xhtml.extension to 0..0.
    resource = narrative(f"<div {XHTML}>Aino</div>")
    resource["text"]["_div"] = {"extension": [{"url": "http://example.org/x", "valueString": "y"}]}
    assert problems(resource) == [("structure", "Patient.text._div")]
