"""The HTTP clients the CDS tests use: the FHIR API to post a patient's data, the CDS Hooks endpoints to call."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.test import Client

FHIR_JSON = "application/fhir+json"


class KaariHttp:
    """Kaari over HTTP as an EHR sees it: FHIR at /fhir, CDS Hooks at /cds-services, one caller's headers."""

    def __init__(self, client: Client, headers: dict[str, str] | None = None) -> None:
        self.client = client
        self.headers = dict(headers or {})

    # -- FHIR ------------------------------------------------------------------------------------------------

    def fhir_post(self, resource: dict[str, Any]) -> dict[str, Any]:
        response = self.client.post(
            f"/fhir/{resource['resourceType']}",
            data=json.dumps(resource),
            content_type=FHIR_JSON,
            headers={**self.headers, "Prefer": "return=representation"},
        )
        assert response.status_code == 201, response.content
        return response.json()

    def fhir_transaction(self, resources: list[dict[str, Any]]) -> list[str]:
        """Post resources in one transaction; `urn:uuid:` references between them resolve. Returns the ids."""
        entries = []
        for resource in resources:
            full_url = resource.pop("fullUrl", f"urn:uuid:{uuid.uuid4()}")
            entries.append(
                {
                    "fullUrl": full_url,
                    "resource": resource,
                    "request": {"method": "POST", "url": resource["resourceType"]},
                }
            )
        bundle = {"resourceType": "Bundle", "type": "transaction", "entry": entries}
        response = self.client.post("/fhir", data=json.dumps(bundle), content_type=FHIR_JSON, headers=self.headers)
        assert response.status_code == 200, response.content
        return [e["response"]["location"].split("/")[1] for e in response.json()["entry"]]

    def patient_admit(self, unit: str, **fields: Any) -> str:
        """Post a new client and a visit to `unit` (the care relationship the gate requires); the client's id."""
        patient_url = f"urn:uuid:{uuid.uuid4()}"
        visit = {
            "resourceType": "Encounter",
            "status": "in-progress",
            "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
            "subject": {"reference": patient_url},
            "serviceProvider": {"reference": f"Organization/{unit}"},
        }
        return self.fhir_transaction([{"resourceType": "Patient", "fullUrl": patient_url, **fields}, visit])[0]

    def fhir_put(self, resource: dict[str, Any]) -> dict[str, Any]:
        response = self.client.put(
            f"/fhir/{resource['resourceType']}/{resource['id']}",
            data=json.dumps(resource),
            content_type=FHIR_JSON,
            headers={**self.headers, "Prefer": "return=representation"},
        )
        assert response.status_code in (200, 201), response.content
        return response.json()

    def fhir_read(self, reference: str) -> dict[str, Any]:
        response = self.client.get(f"/fhir/{reference}", headers=self.headers)
        assert response.status_code == 200, response.content
        return response.json()

    # -- CDS Hooks -------------------------------------------------------------------------------------------

    def discovery(self) -> Any:
        return self.client.get("/cds-services", headers=self.headers)

    def call(self, service_id: str, body: Any) -> Any:
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.client.post(
            f"/cds-services/{service_id}", data=data, content_type="application/json", headers=self.headers
        )

    def cards(self, service_id: str, body: Any) -> list[dict[str, Any]]:
        response = self.call(service_id, body)
        assert response.status_code == 200, response.content
        cards: list[dict[str, Any]] = response.json()["cards"]
        return cards

    def feedback(self, service_id: str, body: Any) -> Any:
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.client.post(
            f"/cds-services/{service_id}/feedback", data=data, content_type="application/json", headers=self.headers
        )
