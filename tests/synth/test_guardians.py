import datetime as dt

from kaari.synth.clock import DEFAULT_TODAY, age_on


def _minor(patient):
    born = dt.date.fromisoformat(patient["birthDate"]).toordinal()
    return "deceasedDateTime" not in patient and age_on(birth=born, day=DEFAULT_TODAY.toordinal()) < 18


def test_every_living_minor_has_a_guardian_recorded_as_related_person(by_type):
    guarded = {
        r["patient"]["reference"]
        for r in by_type["RelatedPerson"]
        if any(c["code"] == "GUARD" for rel in r["relationship"] for c in rel["coding"])
    }
    minors = [p for p in by_type["Patient"] if _minor(p)]
    assert len(minors) > 200
    assert all(f"Patient/{p['id']}" in guarded for p in minors)


def test_a_resident_guardian_links_to_the_related_person_that_represents_them(by_type, index):
    linked = [p for p in by_type["Patient"] if p.get("link")]
    assert linked
    for patient in linked:
        for link in patient["link"]:
            related = index[link["other"]["reference"]]
            assert related["identifier"][0]["value"] == patient["identifier"][0]["value"]
