"""Browser sign-in: argon2 passwords, CSRF, lockout after repeated failures, TOTP, sign-out."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import Client

from kaari.access.models import User
from kaari.access.services import user_create
from tests.access.personas import world_build

PASSWORD = "kaari-salasana-2026"


@pytest.fixture
def nurse(db: None) -> User:
    world_build()
    user = User.objects.get(username="nurse_ceder")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client: Client, password: str = PASSWORD) -> Any:
    return client.post("/signin", {"username": "nurse_ceder", "password": password})


def test_passwords_are_stored_with_argon2(db: None):
    world_build()
    user_create(username="nurse_new", role="nurse", organization="hc-north", password=PASSWORD)
    assert identify_hasher(User.objects.get(username="nurse_new").password).algorithm == "argon2"


def test_signing_in_and_out(nurse: User, client: Client):
    assert client.get("/").status_code == 302
    response = sign_in(client)
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/")
    assert page.status_code == 200 and b"nurse_ceder" in page.content
    assert client.post("/signout").status_code == 302
    assert client.get("/").status_code == 302


def test_the_sign_in_page_is_finnish_by_default(db: None, client: Client):
    assert b"Kirjaudu" in client.get("/signin").content


def test_sign_in_needs_the_csrf_token(nurse: User):
    strict = Client(enforce_csrf_checks=True)
    assert sign_in(strict).status_code == 403
    strict.get("/signin")
    token = strict.cookies["csrftoken"].value
    response = strict.post("/signin", {"username": "nurse_ceder", "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_repeated_failures_lock_the_account_even_for_the_right_password(nurse: User, client: Client):
    for _ in range(5):
        assert sign_in(client, "wrong-password").status_code == 401
    assert sign_in(client).status_code == 401
    nurse.refresh_from_db()
    assert nurse.locked_until is not None


def test_totp_is_asked_once_enabled(nurse: User, client: Client):
    secret = pyotp.random_base32()
    nurse.totp_secret, nurse.totp_enabled = secret, True
    nurse.save()
    response = sign_in(client)
    assert response["Location"].startswith("/signin/totp")
    assert client.get("/").status_code == 302  # not signed in before the second factor
    assert (
        client.post(
            "/signin/totp", {"code": "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"}
        ).status_code
        == 401
    )
    assert client.post("/signin/totp", {"code": pyotp.TOTP(secret).now()}).status_code == 302
    assert client.get("/").status_code == 200


def test_required_totp_makes_a_professional_enrol_before_anything_else(nurse: User, client: Client, settings):
    settings.KAARI_TOTP_REQUIRED = True
    assert sign_in(client)["Location"] == "/signin/totp/setup"
    assert client.get("/")["Location"] == "/signin/totp/setup"
    page = client.get("/signin/totp/setup")
    secret = page.context["secret"]
    assert client.post("/signin/totp/setup", {"code": pyotp.TOTP(secret).now()}).status_code == 302
    nurse.refresh_from_db()
    assert nurse.totp_enabled and client.get("/").status_code == 200


def test_integration_clients_cannot_sign_in_to_the_browser(db: None, client: Client):
    user_create(username="feed", role="integration", password=PASSWORD)
    assert client.post("/signin", {"username": "feed", "password": PASSWORD}).status_code == 401
