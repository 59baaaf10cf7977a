from kaari.synth.fhir import TURVAKIELTO_SYSTEM


def _protected(resource):
    return any(
        s["system"] == TURVAKIELTO_SYSTEM and s["code"] == "TURVAKIELTO" for s in resource["meta"].get("security", [])
    )


def test_about_half_a_percent_of_residents_have_turvakielto(by_type):
    share = sum(_protected(p) for p in by_type["Patient"]) / len(by_type["Patient"])
    assert 0.002 <= share <= 0.010


def test_a_protected_childs_guardian_record_is_protected_too(by_type):
    protected = {p["id"] for p in by_type["Patient"] if _protected(p)}
    for related in by_type["RelatedPerson"]:
        if related["patient"]["reference"].removeprefix("Patient/") in protected:
            assert _protected(related)
