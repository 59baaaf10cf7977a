from kaari.synth.fhir import ATC


def test_prescriptions_are_coded_with_atc(by_type):
    for request in by_type["MedicationRequest"]:
        coding = request["medicationCodeableConcept"]["coding"][0]
        assert coding["system"] == ATC
        assert len(coding["code"]) == 7


def test_older_people_get_potentially_inappropriate_medicines_at_a_realistic_rate(figures):
    users, old = figures.pim_75
    assert 0.05 <= users / old <= 0.35


def test_interacting_combinations_arise(figures):
    assert figures.triple_whammy > 0
    assert figures.warfarin_nsaid > 0


def test_allergies_are_coded_at_substance_or_class_level(by_type):
    lengths = {len(a["code"]["coding"][0]["code"]) for a in by_type["AllergyIntolerance"]}
    assert 7 in lengths
    assert lengths & {4, 5}


def test_some_hba1c_repeats_come_too_early_but_most_do_not(figures):
    early, repeats = figures.hba1c_early_repeats
    assert 0 < early < 0.3 * repeats
