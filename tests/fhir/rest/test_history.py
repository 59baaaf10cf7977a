import time
from urllib.parse import parse_qs, urlsplit

from tests.factories import ObservationFactory, PatientFactory


def test_instance_history_lists_versions_newest_first(fhir):
    created = fhir.created(PatientFactory())
    fhir.put(f"/Patient/{created['id']}", {**created, "active": True})
    bundle = fhir.get(f"/Patient/{created['id']}/_history").json()
    assert bundle["type"] == "history"
    assert [e["resource"]["meta"]["versionId"] for e in bundle["entry"]] == ["2", "1"]
    assert [e["response"]["status"] for e in bundle["entry"]] == ["200 OK", "201 Created"]
    assert bundle["entry"][0]["fullUrl"] == f"http://testserver/fhir/Patient/{created['id']}"


def test_type_history_holds_only_that_type(fhir):
    fhir.created(PatientFactory())
    fhir.created(ObservationFactory())
    bundle = fhir.get("/Observation/_history").json()
    assert {e["resource"]["resourceType"] for e in bundle["entry"]} == {"Observation"}


def test_system_history_holds_every_type(fhir):
    fhir.created(PatientFactory())
    fhir.created(ObservationFactory())
    bundle = fhir.get("/_history").json()
    assert {e["resource"]["resourceType"] for e in bundle["entry"]} == {"Patient", "Observation"}


def test_history_since_leaves_out_older_versions(fhir):
    first = fhir.created(PatientFactory())
    time.sleep(0.01)  # lastUpdated has millisecond precision
    since = fhir.created(PatientFactory())["meta"]["lastUpdated"]
    bundle = fhir.get(f"/Patient/_history?_since={since.replace('+', '%2B')}").json()
    ids = {e["resource"]["id"] for e in bundle["entry"]}
    assert first["id"] not in ids
    assert len(ids) == 1


def test_history_pages_with_count_and_absolute_next_links(fhir):
    created = fhir.created(PatientFactory())
    for _ in range(4):
        fhir.put(f"/Patient/{created['id']}", created)
    seen: list[str] = []
    url: str | None = f"/Patient/{created['id']}/_history?_count=2"
    while url:
        bundle = fhir.get(url).json()
        seen.extend(e["resource"]["meta"]["versionId"] for e in bundle["entry"])
        nexts = [link["url"] for link in bundle["link"] if link["relation"] == "next"]
        assert all(link.startswith("http://testserver/fhir/") for link in nexts)
        url = nexts[0].removeprefix("http://testserver/fhir") if nexts else None
    assert seen == ["5", "4", "3", "2", "1"]


def test_history_count_is_capped_and_a_negative_count_is_an_error(fhir):
    created = fhir.created(PatientFactory())
    assert fhir.get(f"/Patient/{created['id']}/_history?_count=100000000").status_code == 200
    assert fhir.get(f"/Patient/{created['id']}/_history?_count=-1").status_code == 400
    assert fhir.get(f"/Patient/{created['id']}/_history?_count=many").status_code == 400


def test_history_with_a_bad_since_is_an_error(fhir):
    assert fhir.get("/Patient/_history?_since=yesterday").status_code == 400


def test_history_of_an_unknown_resource_is_404(fhir):
    assert fhir.get("/Patient/nobody/_history").status_code == 404


def test_history_next_link_keeps_the_query(fhir):
    created = fhir.created(PatientFactory())
    fhir.put(f"/Patient/{created['id']}", created)
    bundle = fhir.get("/_history?_count=1").json()
    next_url = next(link["url"] for link in bundle["link"] if link["relation"] == "next")
    assert parse_qs(urlsplit(next_url).query)["_count"] == ["1"]
