"""API authentication: bearer tokens on every URL but the capability statement and SMART discovery."""

from __future__ import annotations

import io
import time

import pytest
from django.core.management import call_command
from django.test import Client

from kaari.access.models import User
from kaari.access.services import tokens_revoke, user_token
from kaari.access.tokens import InvalidToken, principal_from_token, token_claims, user_state_forget
from tests.access.personas import World


@pytest.mark.parametrize(
    "path", ["/fhir", "/fhir/Patient/aino", "/fhir/Observation/_history", "/fhir/nonsense/path", "/fhir/AuditEvent"]
)
def test_every_url_but_metadata_answers_401_without_a_token(path: str, client: Client, db: None):
    response = client.get(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["resourceType"] == "OperationOutcome"


def test_metadata_and_smart_configuration_need_no_token(client: Client, db: None):
    assert client.get("/fhir/metadata").status_code == 200
    configuration = client.get("/fhir/.well-known/smart-configuration").json()
    assert configuration["token_endpoint"].endswith("/oauth/token")
    assert client.get("/.well-known/smart-configuration").json() == configuration


def test_a_forged_token_is_refused(world: World, client: Client):
    token = world.tokens["dr_berg"]
    head, payload, signature = token.split(".")
    forged = f"{head}.{world.tokens['feed'].split('.')[1]}.{signature}"
    assert client.get("/fhir/Patient/aino", headers={"Authorization": f"Bearer {forged}"}).status_code == 401


def test_an_expired_token_is_refused(world: World, monkeypatch: pytest.MonkeyPatch):
    token = user_token(username="dr_ahonen", lifetime=60).token
    monkeypatch.setattr(time, "time", lambda: 10**10)
    with pytest.raises(InvalidToken, match="expired"):
        token_claims(token)


def test_revoking_invalidates_every_token_of_the_user(world: World, client: Client):
    tokens_revoke(username="dr_ahonen")
    response = client.get("/fhir/Observation/aino-obs", headers=world.headers("dr_ahonen"))
    assert response.status_code == 401


def test_a_deactivated_user_loses_api_access_once_the_cache_refreshes(world: World, client: Client):
    User.objects.filter(username="nurse_ceder").update(is_active=False)
    user_state_forget()
    assert client.get("/fhir/Observation/aino-obs", headers=world.headers("nurse_ceder")).status_code == 401


def test_kaari_token_prints_the_token_alone_on_its_last_line_valid_an_hour_with_every_role_scope(world: World):
    out = io.StringIO()
    call_command("token", "dr_ahonen", stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    claims = token_claims(token)
    assert int(str(claims["exp"])) - int(str(claims["iat"])) >= 3600
    assert claims["scp"] == "user/*.*"
    assert principal_from_token(token).username == "dr_ahonen"


def test_a_token_asked_with_fewer_scopes_is_limited_to_them(world: World, client: Client):
    token = user_token(username="dr_ahonen", scopes="user/Patient.read").token
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/fhir/Patient/aino", headers=headers).status_code == 200
    assert client.get("/fhir/Observation/aino-obs", headers=headers).status_code == 403


def test_v2_scopes_are_understood(world: World, client: Client):
    token = user_token(username="dr_ahonen", scopes="user/Observation.rs").token
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/fhir/Observation/aino-obs", headers=headers).status_code == 200
    body = client.get("/fhir/Observation/aino-obs", headers=headers).json()
    put = client.put("/fhir/Observation/aino-obs", data=body, content_type="application/fhir+json", headers=headers)
    assert put.status_code == 403


def test_a_token_cannot_carry_more_than_the_role_allows(world: World):
    token = user_token(username="pharmacist_fors", scopes="user/*.*").token
    principal = principal_from_token(token)
    assert principal.scopes.allows("Observation", "read")
    assert not principal.scopes.allows("Observation", "write")
    assert principal.scopes.allows("MedicationRequest", "write")
