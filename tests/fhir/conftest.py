from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

FHIR_JSON = "application/fhir+json"


class FhirClient:
    """The Django test client speaking FHIR JSON, for readable tests."""

    def __init__(self, client: Client, token: str | None = None) -> None:
        self.client = client
        if token is not None:
            # Every request carries the token, as a real API client's would.
            self.client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"

    def _body(self, body: Any) -> str | bytes:
        return body if isinstance(body, str | bytes) else json.dumps(body)

    def get(self, path: str, **headers: Any) -> Any:
        return self.client.get(f"/fhir{path}", headers=headers)

    def post(self, path: str, body: Any, content_type: str = FHIR_JSON, **headers: Any) -> Any:
        return self.client.post(f"/fhir{path}", data=self._body(body), content_type=content_type, headers=headers)

    def put(self, path: str, body: Any, content_type: str = FHIR_JSON, **headers: Any) -> Any:
        return self.client.put(f"/fhir{path}", data=self._body(body), content_type=content_type, headers=headers)

    def patch(self, path: str, body: Any, content_type: str, **headers: Any) -> Any:
        return self.client.patch(f"/fhir{path}", data=self._body(body), content_type=content_type, headers=headers)

    def delete(self, path: str, **headers: Any) -> Any:
        return self.client.delete(f"/fhir{path}", headers=headers)

    def created(self, resource: dict[str, Any]) -> dict[str, Any]:
        response = self.post(f"/{resource['resourceType']}", resource)
        assert response.status_code == 201, response.content
        return response.json()


@pytest.fixture
def fhir(client: Client, db: None) -> FhirClient:
    """An integration client with system-level access: the REST tests exercise FHIR semantics, not access rules."""
    from kaari.access.services import user_create, user_token
    from kaari.access.tokens import user_state_forget

    user_state_forget()  # user ids repeat between tests' databases
    user_create(username="rest-tests", role="integration")
    return FhirClient(client, token=user_token(username="rest-tests").token)


def outcome_codes(response: Any) -> list[str]:
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    return [issue["code"] for issue in body["issue"]]
