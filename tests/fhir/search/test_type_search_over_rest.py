from urllib.parse import urlsplit

from tests.factories import ObservationFactory, PatientFactory


def entries(response):
    return [e for e in response.json().get("entry", []) if e["search"]["mode"] != "outcome"]


def test_a_family_name_prefix_finds_the_patient_whatever_the_accents(fhir):
    aino = fhir.created(PatientFactory(name=[{"family": "Åhlström", "given": ["Aino"]}]))
    fhir.created(PatientFactory(name=[{"family": "Järvi"}]))
    response = fhir.get("/Patient?family=ahlstr")
    assert response.status_code == 200
    bundle = response.json()
    assert bundle["type"] == "searchset"
    assert bundle["total"] == 1
    (entry,) = bundle["entry"]
    assert entry["fullUrl"] == f"http://testserver/fhir/Patient/{aino['id']}"
    assert entry["search"]["mode"] == "match"


def test_post_search_takes_the_criteria_from_the_form_body(fhir):
    fhir.created(PatientFactory(name=[{"family": "Järvi"}]))
    fhir.created(PatientFactory(name=[{"family": "Virtanen"}]))
    response = fhir.client.post(
        "/fhir/Patient/_search", data="family=jarvi", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert [e["resource"]["name"][0]["family"] for e in entries(response)] == ["Järvi"]


def test_post_search_with_json_is_refused(fhir):
    response = fhir.post("/Patient/_search", {"family": "x"})
    assert response.status_code == 415


def test_paging_links_are_absolute_and_lead_through_every_match(fhir):
    patient = fhir.created(PatientFactory())
    for month in range(1, 8):
        fhir.created(
            ObservationFactory(subject={"reference": f"Patient/{patient['id']}"}, effectiveDateTime=f"2025-0{month}-01")
        )
    url = f"/fhir/Observation?patient={patient['id']}&_sort=-date&_count=3"
    seen: list[str] = []
    while url:
        bundle = fhir.client.get(url).json()
        seen.extend(e["resource"]["effectiveDateTime"] for e in bundle["entry"])
        links = {link["relation"]: link["url"] for link in bundle["link"]}
        assert links["self"].startswith("http://testserver/fhir/Observation?")
        url = urlsplit(links["next"])._replace(scheme="", netloc="").geturl() if "next" in links else ""
    assert seen == [f"2025-0{m}-01" for m in range(7, 0, -1)]


def test_an_unknown_parameter_is_ignored_with_a_warning_entry(fhir):
    fhir.created(PatientFactory())
    bundle = fhir.get("/Patient?shoe-size=44").json()
    outcome = bundle["entry"][-1]
    assert outcome["search"]["mode"] == "outcome"
    assert outcome["resource"]["resourceType"] == "OperationOutcome"
    assert "shoe-size" in outcome["resource"]["issue"][0]["diagnostics"]
    assert bundle["total"] == 1


def test_strict_handling_refuses_an_unknown_parameter(fhir):
    response = fhir.get("/Patient?shoe-size=44", Prefer="handling=strict")
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"


def test_an_unsupported_parameter_is_refused_under_strict_handling_and_says_why(fhir):
    response = fhir.get("/Location?near=60.17|24.94|10|km", Prefer="handling=strict")
    assert response.status_code == 400
    assert "not implemented" in response.json()["issue"][0]["diagnostics"]


def test_a_malformed_value_or_an_unsupported_modifier_is_a_400(fhir):
    assert fhir.get("/Patient?birthdate=1970-13-45").status_code == 400
    assert fhir.get("/Observation?value-quantity=lots").status_code == 400
    assert fhir.get("/Patient?name:below=x").status_code == 400
    assert fhir.get("/Patient?_count=-1").status_code == 400
    assert fhir.get("/Patient?_cursor=nonsense").status_code == 400


def test_count_zero_and_summary_count_give_only_the_total(fhir):
    fhir.created(PatientFactory())
    fhir.created(PatientFactory())
    for query in ("_count=0", "_summary=count"):
        bundle = fhir.get(f"/Patient?{query}").json()
        assert bundle["total"] == 2
        assert "entry" not in bundle


def test_a_system_search_spans_the_types_named(fhir):
    fhir.created(PatientFactory())
    fhir.created(ObservationFactory())
    bundle = fhir.get("/?_type=Patient,Observation&_lastUpdated=gt2000-01-01").json()
    assert sorted(e["resource"]["resourceType"] for e in bundle["entry"]) == ["Observation", "Patient"]


def test_search_endpoints_are_in_the_capability_statement(fhir):
    statement = fhir.get("/metadata").json()
    patient = next(r for r in statement["rest"][0]["resource"] if r["type"] == "Patient")
    names = {p["name"]: p["type"] for p in patient["searchParam"]}
    assert names["name"] == "string"
    assert names["identifier"] == "token"
    assert names["_lastUpdated"] == "date"
    assert "search-type" in {i["code"] for i in patient["interaction"]}
    assert patient["operation"][0]["name"] == "everything"
    location = next(r for r in statement["rest"][0]["resource"] if r["type"] == "Location")
    assert "near" not in {p["name"] for p in location["searchParam"]}
