import base64

from kaari.synth import knowledge
from kaari.synth.fhir import LOINC, UCUM


def test_laboratory_results_are_loinc_coded_with_ucum_units_and_reference_ranges(by_type):
    tests = {t["loinc"]: t for t in knowledge.labs()["tests"].values()}
    labs = [o for o in by_type["Observation"] if o["category"][0]["coding"][0]["code"] == "laboratory"]
    assert len(labs) > 1000
    for observation in labs:
        coding = observation["code"]["coding"][0]
        assert coding["system"] == LOINC
        spec = tests[coding["code"]]
        assert observation["valueQuantity"]["system"] == UCUM
        assert observation["valueQuantity"]["code"] == spec["ucum"]
        assert observation["interpretation"][0]["coding"][0]["code"] in ("H", "L", "N")


def test_diabetics_hba1c_runs_higher_than_the_reference(by_type):
    values = [
        o["valueQuantity"]["value"] for o in by_type["Observation"] if o["code"]["coding"][0]["code"] == "59261-8"
    ]
    assert sum(values) / len(values) > 42


def test_notes_are_short_finnish_text(by_type):
    for doc in by_type["DocumentReference"][:500]:
        attachment = doc["content"][0]["attachment"]
        text = base64.b64decode(attachment["data"]).decode("utf-8")
        assert attachment["language"] == "fi"
        assert 20 < len(text) < 1000
