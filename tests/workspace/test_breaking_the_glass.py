"""A physician without a relationship is refused, states a reason, and sees the chart; the emergency is logged."""

from __future__ import annotations

from kaari.access.models import AuditEntry, EmergencyAccess


def test_the_chart_is_refused_with_the_emergency_form(signed_in):
    response = signed_in("dr_berg").get("/clients/aino/")
    assert response.status_code == 403
    assert b'name="reason"' in response.content
    assert b"Penisilliini" not in response.content


def test_a_short_reason_is_refused_with_a_message(signed_in):
    response = signed_in("dr_berg").post("/clients/aino/emergency", {"reason": "hätä"})
    assert response.status_code == 400
    assert b'role="alert"' in response.content
    assert not EmergencyAccess.objects.exists()


def test_with_a_reason_the_chart_opens_and_the_emergency_is_logged(signed_in):
    client = signed_in("dr_berg")
    response = client.post("/clients/aino/emergency", {"reason": "Tajuton potilas päivystyksessä"})
    assert response.status_code == 302
    assert client.get("/clients/aino/").status_code == 200
    assert EmergencyAccess.objects.get().reason == "Tajuton potilas päivystyksessä"
    assert "emergency" in str(AuditEntry.objects.latest("id").__dict__)


def test_emergency_access_to_an_unknown_client_is_refused(signed_in):
    response = signed_in("dr_berg").post("/clients/nobody/emergency", {"reason": "Tajuton potilas päivystyksessä"})
    assert response.status_code == 400
    assert not EmergencyAccess.objects.exists()
