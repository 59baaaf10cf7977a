"""Signing runs medication-safety (order-sign) in-process: only a critical card blocks; the prescriber removes the
order as suggested or overrides with one of the card's reasons, and each outcome is recorded as CDS feedback."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.test import Client

from kaari.cds.models import CdsCall, CdsFeedback
from tests.access.personas import World
from tests.safety.prescribing.conftest import current_order, prescribe, signed_in, stored

CLARITHROMYCIN = "J01FA09-tabletti-500-mg"
IBUPROFEN = "M01AE01-tabletti-400-mg"


def _draft_id(client: Client) -> str:
    prescribe(client, CLARITHROMYCIN)
    client.get("/clients/aino/medications/")
    call = CdsCall.objects.filter(service_id="medication-safety-select").order_by("-pk").first()
    assert call is not None
    return call.orders[0]["reference"].removeprefix("MedicationRequest/")


def test_a_critical_card_blocks_signing_and_shows_the_card(ahonen: Client):
    current_order("C10AA01", text="Simvastatiini 20 mg tabletti")
    draft = _draft_id(ahonen)
    response = ahonen.post("/clients/aino/medications/sign")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="blocked"' in html
    assert "Klaritromysiini 500 mg tabletti: myopathy and rhabdomyolysis" in html and "doi.org" in html
    assert 'name="reason-' in html and "benefit-outweighs-risk" in html
    assert stored("MedicationRequest", draft)["status"] == "draft"


def test_an_override_without_a_reason_signs_nothing(ahonen: Client):
    current_order("C10AA01")
    draft = _draft_id(ahonen)
    response = ahonen.post("/clients/aino/medications/sign", {"override": "1"})
    html = response.content.decode()
    assert 'data-testid="blocked"' in html and 'class="error" id="id_reason-' in html
    assert stored("MedicationRequest", draft)["status"] == "draft"
    assert not CdsFeedback.objects.exists()


def test_a_reason_the_card_did_not_offer_signs_nothing(ahonen: Client):
    current_order("C10AA01")
    draft = _draft_id(ahonen)
    blocked = ahonen.post("/clients/aino/medications/sign").context["blocking"]
    card = blocked[0][0]
    ahonen.post("/clients/aino/medications/sign", {"override": "1", f"reason-{card.uuid}": "because"})
    assert stored("MedicationRequest", draft)["status"] == "draft"
    assert not CdsFeedback.objects.exists()


def test_an_override_with_a_reason_signs_and_shows_in_the_safety_report(ahonen: Client):
    current_order("C10AA01")
    draft = _draft_id(ahonen)
    card = ahonen.post("/clients/aino/medications/sign").context["blocking"][0][0]
    response = ahonen.post(
        "/clients/aino/medications/sign",
        {"override": "1", f"reason-{card.uuid}": "specialist-advised", f"comment-{card.uuid}": "Infektiolääkäri"},
    )
    assert response.status_code == 302
    assert stored("MedicationRequest", draft)["status"] == "active"
    feedback = CdsFeedback.objects.get()
    assert (feedback.outcome, feedback.rule_id, feedback.override_code, feedback.user_comment) == (
        "overridden",
        "ddi.statin-cyp3a4-inhibitor",
        "specialist-advised",
        "Infektiolääkäri",
    )
    out = io.StringIO()
    call_command("safety", "report", stdout=out)
    assert "ddi.statin-cyp3a4-inhibitor" in out.getvalue()
    assert "override reason: Advised by a specialist (1)" in out.getvalue()


def test_accepting_the_suggestion_withdraws_the_draft_and_records_it(ahonen: Client):
    current_order("C10AA01")
    draft = _draft_id(ahonen)
    card = ahonen.post("/clients/aino/medications/sign").context["blocking"][0][0]
    response = ahonen.post("/clients/aino/medications/suggestions", {"card": card.uuid, "suggestion": "0"})
    assert response.status_code == 302
    assert stored("MedicationRequest", draft)["status"] == "cancelled"
    feedback = CdsFeedback.objects.get()
    assert feedback.outcome == "accepted" and feedback.accepted_suggestions


def test_a_stale_suggestion_gets_a_message_not_an_error(ahonen: Client):
    current_order("C10AA01")
    _draft_id(ahonen)
    for data in ({"card": "not-a-card", "suggestion": "0"}, {"card": "x", "suggestion": "many"}):
        response = ahonen.post("/clients/aino/medications/suggestions", data, follow=True)
        assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert not CdsFeedback.objects.exists()


def test_a_warning_is_shown_beside_the_draft_and_does_not_block(ahonen: Client):
    current_order("B01AA03", text="Marevan 3 mg tabletti")
    prescribe(ahonen, IBUPROFEN)
    page = ahonen.get("/clients/aino/medications/").content.decode()
    assert (
        'data-testid="draft-cards"' in page
        and "Marevan 3 mg tabletti + Ibuprofeeni 400 mg tabletti" in page
        and 'data-indicator="warning"' in page
    )
    response = ahonen.post("/clients/aino/medications/sign")
    assert response.status_code == 302
    assert CdsCall.objects.filter(service_id="medication-safety").get().order_count == 1
    assert not CdsFeedback.objects.exists()


def test_signing_with_no_drafts_gets_a_message(ahonen: Client):
    response = ahonen.post("/clients/aino/medications/sign", follow=True)
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()


def test_a_physician_without_a_relationship_cannot_sign(client: Client, world: World):
    current_order("C10AA01")
    response = signed_in(client, "dr_berg").post("/clients/aino/medications/sign")
    assert response.status_code == 403
    assert not CdsCall.objects.filter(service_id="medication-safety").exists()


def test_replacing_as_a_warning_suggests_opens_the_search_on_the_alternative(ahonen: Client):
    current_order("B01AA03", text="Marevan 3 mg tabletti")
    prescribe(ahonen, IBUPROFEN)
    (card,) = ahonen.get("/clients/aino/medications/").context["page"].draft_cards
    replace = next(i for i, s in enumerate(card.suggestions) if s.replacement_atc)
    response = ahonen.post("/clients/aino/medications/suggestions", {"card": card.uuid, "suggestion": str(replace)})
    assert response["Location"] == "/clients/aino/medications/?q=N02BE01#search"
    assert ahonen.get("/clients/aino/medications/").context["page"].drafts == []
    feedback = CdsFeedback.objects.get()
    assert (feedback.outcome, feedback.rule_id) == ("accepted", "ddi.warfarin-nsaid")
