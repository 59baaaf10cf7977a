from collections import Counter

from kaari.synth import knowledge

SERVICE_TASKS = "urn:oid:1.2.246.537.6.1221"


def test_cases_are_typed_with_the_thl_service_task_classification(by_type):
    types = Counter(e["type"][0]["coding"][0]["display"] for e in by_type["EpisodeOfCare"])
    assert all(e["type"][0]["coding"][0]["system"] == SERVICE_TASKS for e in by_type["EpisodeOfCare"])
    assert {"Lastensuojelu", "Iäkkäiden palvelut", "Kehitysvammaisten erityishuolto"} <= types.keys()


def test_every_case_has_a_named_responsible_social_worker(by_type, index):
    for episode in by_type["EpisodeOfCare"]:
        worker = episode["careManager"]["reference"]
        role = index[f"PractitionerRole/role-{worker.removeprefix('Practitioner/prac-')}"]
        assert role["code"][0]["coding"][0]["code"] == "social-worker"
        assert index[worker]["name"][0]["family"]
        team = index[episode["team"][0]["reference"]]
        assert team["participant"][0]["member"]["reference"] == worker


def test_every_service_decision_carries_appeal_instructions(by_type):
    decisions = by_type["ServiceRequest"]
    assert decisions
    for decision in decisions:
        assert decision["patientInstruction"] == knowledge.social()["appeal_instructions"]["fi"]
        assert "30 päivän" in decision["patientInstruction"]
        assert decision["note"][0]["text"].startswith("Päätös:")
    assert any(d.get("doNotPerform") for d in decisions), "some applications are refused"


def test_a_minors_child_welfare_team_includes_the_guardians(by_type, index):
    guarded = {r["patient"]["reference"] for r in by_type["RelatedPerson"]}
    children = [
        e
        for e in by_type["EpisodeOfCare"]
        if e["type"][0]["coding"][0]["display"] == "Lastensuojelu" and e["patient"]["reference"] in guarded
    ]
    assert children
    for episode in children:
        team = index[episode["team"][0]["reference"]]
        members = [p["member"]["reference"] for p in team["participant"]]
        assert any(m.startswith("RelatedPerson/") for m in members)


def test_assessments_plans_and_decisions_link_up(by_type, index):
    for decision in by_type["ServiceRequest"]:
        for info in decision.get("supportingInfo", []):
            assert index[info["reference"]]["resourceType"] == "ClinicalImpression"
    for plan in by_type["CarePlan"]:
        for activity in plan.get("activity", []):
            assert index[activity["reference"]["reference"]]["resourceType"] == "ServiceRequest"
