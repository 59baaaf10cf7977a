from kaari.synth.fhir import KEEPER_URL, REGISTER_SYSTEM, SYNTHETIC_TAG_CODE, SYNTHETIC_TAG_SYSTEM

SHARED = {"Organization", "Practitioner", "PractitionerRole"}
IDENTITY = {"Patient", "RelatedPerson"}
SOCIAL_ONLY = {"EpisodeOfCare", "CareTeam", "CarePlan", "ServiceRequest", "ClinicalImpression"}
HEALTH_ONLY = {"Condition", "Observation", "MedicationRequest", "AllergyIntolerance", "Immunization"}


def _register(resource):
    codes = [s["code"] for s in resource["meta"].get("security", []) if s["system"] == REGISTER_SYSTEM]
    return codes[0] if len(codes) == 1 else None


def test_every_resource_is_tagged_synthetic(region):
    for resource in region:
        assert {"system": SYNTHETIC_TAG_SYSTEM, "code": SYNTHETIC_TAG_CODE} in [
            {"system": t["system"], "code": t["code"]} for t in resource["meta"]["tag"]
        ]


def test_every_client_record_names_its_register_and_a_keeper_that_exists(region, index):
    for resource in region:
        kind = resource["resourceType"]
        if kind in SHARED:
            continue
        keepers = [e for e in resource["meta"]["extension"] if e["url"] == KEEPER_URL]
        assert len(keepers) == 1
        assert index[keepers[0]["valueReference"]["reference"]]["resourceType"] == "Organization"
        if kind in IDENTITY:
            continue
        register = _register(resource)
        assert register in ("health-care", "social-welfare")
        if kind in SOCIAL_ONLY:
            assert register == "social-welfare"
        if kind in HEALTH_ONLY:
            assert register == "health-care"


def test_the_cost_of_an_event_is_in_the_same_register_and_keeper_as_the_event(by_type, index):
    for charge in by_type["ChargeItem"]:
        encounter = index[charge["context"]["reference"]]
        assert _register(charge) == _register(encounter)
        assert charge["meta"]["extension"] == encounter["meta"]["extension"]
