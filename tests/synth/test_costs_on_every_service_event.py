from collections import Counter

from kaari.synth import knowledge
from kaari.synth.fhir import SERVICE_TYPE_SYSTEM, UNIT_COST_SYSTEM


def _code(charge, system):
    return next(c["code"] for c in charge["code"]["coding"] if c["system"] == system)


def test_every_encounter_has_exactly_one_charge_item(by_type):
    contexts = Counter(c["context"]["reference"] for c in by_type["ChargeItem"])
    assert all(contexts[f"Encounter/{e['id']}"] == 1 for e in by_type["Encounter"])
    assert len(contexts) == len(by_type["Encounter"])


def test_the_cost_on_the_charge_item_is_the_cited_unit_cost_times_the_quantity(by_type):
    costs = knowledge.unit_costs()
    for charge in by_type["ChargeItem"]:
        item = costs[_code(charge, UNIT_COST_SYSTEM)]
        assert charge["priceOverride"]["currency"] == "EUR"
        assert charge["priceOverride"]["value"] == round(item.eur * charge["quantity"]["value"], 2)
        assert charge["priceOverride"]["value"] > 0
        assert _code(charge, SERVICE_TYPE_SYSTEM) == item.service_type
        assert "EUR/" in charge["overrideReason"]


def test_every_unit_cost_cites_its_basis():
    raw = knowledge.data_load("unit_costs.json")
    assert {"national-2024", "thl-reports"} <= raw["sources"].keys()
    assert all(item["basis"] in ("national-2024", "estimate") for item in raw["items"].values())
