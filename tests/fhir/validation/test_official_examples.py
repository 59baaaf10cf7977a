"""Acceptance: the 706 non-definition examples of hl7.fhir.r4.examples 4.0.1 (issue 2, acceptance item 1).

Each rejection below was checked against the R4 definitions; the examples themselves break these rules.
"""

import pytest

from scripts.examples_check import example_files, examples_validate
from tests.fhir.examples import PACKAGE

pytestmark = pytest.mark.skipif(
    not (PACKAGE / "package.json").exists(),
    reason="the R4 examples package is not in ./cache; run `python -m scripts.fetch_fhir_package` first",
)

# File -> the (code, expression) of each error, which the spec's own definitions say is an error.
EXPECTED_REJECTIONS = {
    # DeviceMetric.parent is Reference(Device); the example points at a DeviceDefinition.
    "DeviceMetric-example.json": {("invalid", "DeviceMetric.parent.reference")},
    # DeviceUseStatement.reasonReference allows Condition, Observation, DiagnosticReport, DocumentReference and
    # Media; the example gives a Procedure.
    "DeviceUseStatement-example.json": {("invalid", "DeviceUseStatement.reasonReference[0].reference")},
    # MedicationRequest.dispenseRequest.performer is Reference(Organization); the example gives a Practitioner.
    "MedicationRequest-medrx0301.json": {("invalid", "MedicationRequest.dispenseRequest.performer.reference")},
    # Observation.performer does not allow Encounter.
    "Observation-clinical-gender.json": {("invalid", "Observation.performer[0].reference")},
    # Questionnaire.item.linkId is 1..1; 32 display items of this example have none.
    "Questionnaire-qs1.json": {("required", "Questionnaire.item[0].item[0].linkId")},
}


def test_the_package_has_706_non_definition_examples():
    assert len(example_files(PACKAGE)) == 706


@pytest.fixture(scope="module")
def results():
    return examples_validate(PACKAGE)


def test_exactly_the_examples_that_break_r4_rules_are_rejected(results):
    rejected = {name for name, errors in results.items() if errors}
    assert rejected == set(EXPECTED_REJECTIONS)
    assert len(results) - len(rejected) == 701
    for name, expected in EXPECTED_REJECTIONS.items():
        found = {(issue.code, issue.expression) for issue in results[name]}
        assert expected <= found, name
        assert {code for code, _ in found} == {code for code, _ in expected}, name


def test_questionnaire_qs1_is_rejected_only_for_its_missing_link_ids(results):
    errors = results["Questionnaire-qs1.json"]
    assert len(errors) == 32
    assert all(e.code == "required" and e.expression.endswith(".linkId") for e in errors)
