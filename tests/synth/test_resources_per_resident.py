SHARED = {"Organization", "Practitioner", "PractitionerRole"}


def test_a_resident_has_on_average_30_to_150_resources(by_type):
    residents = len(by_type["Patient"])
    own = sum(len(v) for k, v in by_type.items() if k not in SHARED)
    assert 30 <= own / residents <= 150
