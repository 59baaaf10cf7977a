"""UI page views that show client data go through the signed-in user's gate and log one entry per view."""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from kaari.access.models import AuditEntry, User
from kaari.access.pages import client_data_page
from kaari.fhir.store import Store
from tests.access.personas import World


@client_data_page
def chart(request: HttpRequest, patient: str, *, store: Store) -> HttpResponse:
    observation = store.read("Observation", f"{patient}-obs")
    visit = store.read("Encounter", f"{patient}-visit-hc-north")
    return HttpResponse(f"{observation.id} {visit.id}")


def page_request(username: str | None, verified: bool = True) -> HttpRequest:
    request = RequestFactory().get("/chart/aino")
    request.session = SessionStore()
    if username is None:
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()
    else:
        request.user = User.objects.get(username=username)
        request.session["kaari_verified"] = verified
    return request


def test_a_page_view_reading_two_resources_writes_one_entry(world: World):
    before = AuditEntry.objects.count()
    response = chart(page_request("dr_ahonen"), "aino")
    assert response.status_code == 200
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("id")
    assert (
        entry.actor == "dr_ahonen" and entry.patient_id == "aino" and entry.entities.count("Observation/aino-obs") == 1
    )


def test_a_refused_page_view_is_logged_and_answers_403(world: World):
    response = chart(page_request("dr_berg"), "aino")
    assert response.status_code == 403
    assert AuditEntry.objects.latest("id").outcome == "4"


def test_a_page_view_needs_a_completed_sign_in(world: World):
    assert chart(page_request(None), "aino").status_code == 302
    assert chart(page_request("dr_ahonen", verified=False), "aino").status_code == 302
