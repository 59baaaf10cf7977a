"""Required bindings of FHIR R4 that a store validator rejects when wrong (checked here without the store)."""

REQUIRED = {
    "Patient": {"gender": {"male", "female", "other", "unknown"}},
    "RelatedPerson": {"gender": {"male", "female", "other", "unknown"}},
    "Practitioner": {"gender": {"male", "female", "other", "unknown"}},
    "Encounter": {
        "status": {"planned", "arrived", "triaged", "in-progress", "onleave", "finished", "cancelled", "unknown"}
    },
    "Observation": {"status": {"registered", "preliminary", "final", "amended"}},
    "MedicationRequest": {
        "status": {"active", "on-hold", "cancelled", "completed", "stopped", "draft", "unknown"},
        "intent": {"proposal", "plan", "order", "original-order", "reflex-order", "filler-order", "instance-order"},
    },
    "EpisodeOfCare": {"status": {"planned", "waitlist", "active", "onhold", "finished", "cancelled"}},
    "ChargeItem": {"status": {"planned", "billable", "not-billable", "aborted", "billed", "unknown"}},
    "Immunization": {"status": {"completed", "not-done"}},
    "AllergyIntolerance": {"type": {"allergy", "intolerance"}, "criticality": {"low", "high", "unable-to-assess"}},
    "ServiceRequest": {
        "status": {"draft", "active", "on-hold", "revoked", "completed", "unknown"},
        "intent": {"proposal", "plan", "directive", "order", "original-order", "reflex-order", "filler-order"},
    },
    "CarePlan": {"status": {"draft", "active", "on-hold", "revoked", "completed", "unknown"}, "intent": {"plan"}},
    "CareTeam": {"status": {"proposed", "active", "suspended", "inactive"}},
    "ClinicalImpression": {"status": {"in-progress", "completed"}},
    "Appointment": {"status": {"proposed", "pending", "booked", "arrived", "fulfilled", "cancelled"}},
    "DocumentReference": {"status": {"current", "superseded"}, "docStatus": {"preliminary", "final", "amended"}},
}
CODED = {
    ("AllergyIntolerance", "clinicalStatus"): (
        "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
        {"active", "inactive", "resolved"},
    ),
    ("AllergyIntolerance", "verificationStatus"): (
        "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
        {"unconfirmed", "confirmed", "refuted"},
    ),
    ("Condition", "clinicalStatus"): (
        "http://terminology.hl7.org/CodeSystem/condition-clinical",
        {"active", "recurrence", "relapse", "inactive", "remission", "resolved"},
    ),
    ("Condition", "verificationStatus"): (
        "http://terminology.hl7.org/CodeSystem/condition-ver-status",
        {"unconfirmed", "provisional", "differential", "confirmed", "refuted"},
    ),
}
ENCOUNTER_CLASSES = {"AMB", "EMER", "IMP", "HH", "NONAC", "VR", "FLD", "ACUTE", "OBSENC", "PRENC", "SS"}


def test_coded_elements_with_required_bindings_use_allowed_codes(region):
    for resource in region:
        for element, allowed in REQUIRED.get(resource["resourceType"], {}).items():
            if element in resource:
                assert resource[element] in allowed, (resource["id"], element, resource[element])


def test_status_codeable_concepts_use_the_terminology_hl7_org_systems(region):
    for resource in region:
        for (kind, element), (system, allowed) in CODED.items():
            if resource["resourceType"] == kind:
                coding = resource[element]["coding"][0]
                assert coding["system"] == system
                assert coding["code"] in allowed


def test_encounters_have_a_v3_act_class_and_finished_ones_an_end(by_type):
    for encounter in by_type["Encounter"]:
        assert encounter["class"]["code"] in ENCOUNTER_CLASSES
        assert ("end" in encounter["period"]) == (encounter["status"] == "finished")


def test_care_plan_activities_reference_or_detail_never_both(by_type):
    for plan in by_type["CarePlan"]:
        for activity in plan.get("activity", []):
            assert ("reference" in activity) != ("detail" in activity)


def test_appointments_have_start_end_and_a_participating_patient(by_type):
    for appointment in by_type["Appointment"]:
        assert appointment["start"] < appointment["end"]
        assert any(p["actor"]["reference"].startswith("Patient/") for p in appointment["participant"])
