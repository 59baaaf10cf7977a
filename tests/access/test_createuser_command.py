"""`kaari createuser`: professionals get a Practitioner and a PractitionerRole in their unit."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from kaari.access.models import User
from kaari.access.services import system_store
from tests.access.personas import world_build


def test_a_physician_gets_practitioner_and_role_in_the_organization(db: None):
    world_build()
    out = io.StringIO()
    call_command(
        "createuser", "dr_new", "--role", "physician", "--organization", "hc-north", "--password", "x" * 12, stdout=out
    )
    user = User.objects.get(username="dr_new")
    store = system_store("test")
    role = store.read("PractitionerRole", user.practitioner_role_id).resource
    assert role["organization"]["reference"] == "Organization/hc-north"
    assert role["practitioner"]["reference"] == f"Practitioner/{user.practitioner_id}"
    assert user.check_password("x" * 12) and user.kind == "professional"


def test_an_unknown_organization_is_refused(db: None):
    with pytest.raises(CommandError, match="not in the store"):
        call_command("createuser", "dr_new", "--role", "physician", "--organization", "nowhere")


def test_an_integration_client_prints_its_credentials(db: None):
    out = io.StringIO()
    call_command("createuser", "population-feed", "--role", "integration", stdout=out)
    text = out.getvalue()
    assert "client_id: population-feed" in text and "client_secret: " in text
    assert User.objects.get(username="population-feed").organization_id == ""


def test_a_resident_links_to_their_patient(db: None):
    world_build()
    call_command("createuser", "aino_r", "--role", "resident", "--patient", "aino", stdout=io.StringIO())
    assert User.objects.get(username="aino_r").patient_id == "aino"
