"""Running one CDS service call: validate, complete the prefetch through the caller's store, run the handler,
record the call and its cards, answer."""

from __future__ import annotations

import time
from typing import Any

from kaari.cds.caller import Caller
from kaari.cds.cards import Card
from kaari.cds.errors import UnknownService
from kaari.cds.feedback import feedback_parse
from kaari.cds.hooks import hook_request_parse
from kaari.cds.prefetch import prefetch_complete
from kaari.cds.reading import store_reader
from kaari.cds.registry import CdsService, services
from kaari.cds.services import call_record, feedback_record

PRESENTATION_EXTENSION = "https://kaari.fi/cds/presentation"


def service_get(service_id: str) -> CdsService:
    service = services().get(service_id)
    if service is None:
        raise UnknownService(f"Kaari has no CDS service {service_id!r}; GET /cds-services lists them")
    return service


def card_json(card: Card) -> dict[str, Any]:
    """A card on the wire. Only critical cards interrupt; the extension says so for clients that want it plain."""
    body = card.to_json()
    body["extension"] = {PRESENTATION_EXTENSION: "interrupt" if card.indicator == "critical" else "passive"}
    return body


def service_call(*, service_id: str, body: Any, caller: Caller) -> dict[str, Any]:
    started = time.perf_counter()
    service = service_get(service_id)
    request = hook_request_parse(body=body, service_id=service.id, hook=service.hook)
    caller.note(patient_id=request.patient_id, what=f"cds-services/{service.id} {request.hook_instance}")
    outcome = prefetch_complete(
        service=service, request=request, read=store_reader(store=caller.store, patient_id=request.patient_id)
    )
    cards = service.handler(outcome.request)
    call_record(
        request=outcome.request,
        orders=outcome.request.orders_checked(service.order_types),
        cards=cards,
        caller=caller.name,
        prefetch_given=outcome.given,
        prefetch_read=outcome.read,
        duration_ms=(time.perf_counter() - started) * 1000,
    )
    return {"cards": [card_json(card) for card in cards]}


def feedback_receive(*, service_id: str, body: Any, caller: Caller) -> int:
    service = service_get(service_id)
    items = feedback_parse(body=body)
    recorded = feedback_record(service_id=service.id, items=items, caller=caller.name)
    for patient_id in dict.fromkeys(f.patient_id for f in recorded):
        caller.note(patient_id=patient_id, what=f"cds-services/{service.id}/feedback")
    return len(recorded)
