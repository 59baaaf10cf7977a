def test_metadata_describes_the_real_server(fhir):
    response = fhir.get("/metadata")
    assert response.status_code == 200
    statement = response.json()
    assert statement["resourceType"] == "CapabilityStatement"
    assert statement["fhirVersion"] == "4.0.1"
    types = {r["type"] for r in statement["rest"][0]["resource"]}
    assert {"Patient", "Observation", "EpisodeOfCare"} <= types
    subscription = next(r for r in statement["rest"][0]["resource"] if r["type"] == "Subscription")
    assert "no notifications" in subscription["documentation"]
    patient = next(r for r in statement["rest"][0]["resource"] if r["type"] == "Patient")
    assert {"read", "vread", "update", "patch", "delete", "create", "history-instance"} <= {
        i["code"] for i in patient["interaction"]
    }
