"""The token endpoint: integration clients exchange their id and secret for a bearer token."""

from __future__ import annotations

import base64

from django.test import Client

from kaari.access.services import user_create


def test_an_integration_client_gets_a_token_with_its_secret_and_uses_it(client: Client, db: None):
    created = user_create(username="lab-feed", role="integration")
    response = client.post(
        "/oauth/token",
        {"grant_type": "client_credentials", "client_id": "lab-feed", "client_secret": created.client_secret},
    )
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] >= 3600 and body["scope"] == "system/*.*"
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    assert client.get("/fhir/Observation/_history", headers=headers).status_code == 200


def test_http_basic_client_authentication_and_narrower_scopes(client: Client, db: None):
    created = user_create(username="export", role="integration")
    basic = base64.b64encode(f"export:{created.client_secret}".encode()).decode()
    response = client.post(
        "/oauth/token",
        {"grant_type": "client_credentials", "scope": "system/Patient.read"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert response.json()["scope"] == "system/Patient.read"


def test_a_wrong_secret_or_grant_is_refused(client: Client, db: None):
    user_create(username="lab-feed", role="integration")
    wrong = client.post(
        "/oauth/token", {"grant_type": "client_credentials", "client_id": "lab-feed", "client_secret": "x"}
    )
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    grant = client.post("/oauth/token", {"grant_type": "password", "username": "a", "password": "b"})
    assert grant.json()["error"] == "unsupported_grant_type"
