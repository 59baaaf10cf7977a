"""Reads for the prescribing screens, each through the signed-in user's gated store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kaari.cds.errors import CdsError
from kaari.fhir.conventions import HETU_SYSTEM
from kaari.fhir.search.service import SearchRequest
from kaari.fhir.store import Store, StoredResource
from kaari.safety.catalogue import medicine_search
from kaari.safety.knowledge import knowledge_base
from kaari.safety.knowledge.model import Product
from kaari.safety.prescribing.checks import ShownCard, drafts_select_check, medication_review, user_reference
from kaari.safety.prescribing.orders import PRODUCT_SYSTEM, OrderLine, order_line

CURRENT_STATUSES = "active,on-hold"
MAX_ORDERS = 500


@dataclass(frozen=True)
class ClientHeader:
    id: str
    name: str
    birth_date: str
    age: int | None
    hetu: str


def _disclosed(store: Store, stored: StoredResource) -> dict[str, Any]:
    return store.gate.disclose(stored.resource) if store.gate.needs_redaction(stored) else stored.resource


def _age(birth_date: str, today: date) -> int | None:
    try:
        born = date.fromisoformat(birth_date[:10])
    except ValueError:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def client_header_get(*, store: Store, patient_id: str, today: date | None = None) -> ClientHeader:
    """Who the page is about. Reading the Patient first means a user without access gets 403 at once."""
    patient = _disclosed(store, store.read("Patient", patient_id))
    names = [n for n in patient.get("name", []) if isinstance(n, dict)]
    name = names[0] if names else {}
    full_name = str(name.get("text") or " ".join([*name.get("given", []), name.get("family", "")]).strip())
    birth_date = str(patient.get("birthDate", ""))
    hetu = next(
        (str(i.get("value")) for i in patient.get("identifier", []) if i.get("system") == HETU_SYSTEM),
        "",
    )
    return ClientHeader(
        id=patient_id,
        name=full_name or patient_id,
        birth_date=birth_date,
        age=_age(birth_date, today or date.today()) if birth_date else None,
        hetu=hetu,
    )


def medication_requests_get(*, store: Store, patient_id: str, statuses: str) -> list[dict[str, Any]]:
    params = (("patient", patient_id), ("status", statuses), ("_count", str(MAX_ORDERS)))
    outcome = store.search(SearchRequest(resource_types=("MedicationRequest",), params=params))
    resources = [_disclosed(store, s) for s in outcome.result.matches]
    return sorted(resources, key=lambda r: (str(r.get("authoredOn", "")), str(r.get("id"))), reverse=True)


def current_medications_get(*, store: Store, patient_id: str) -> list[OrderLine]:
    return [
        order_line(r) for r in medication_requests_get(store=store, patient_id=patient_id, statuses=CURRENT_STATUSES)
    ]


def current_order_get(*, store: Store, patient_id: str, order_id: str) -> dict[str, Any] | None:
    """One of the client's current orders, or None if the id names nothing current of theirs."""
    for resource in medication_requests_get(store=store, patient_id=patient_id, statuses=CURRENT_STATUSES):
        if resource.get("id") == order_id:
            return resource
    return None


def drafts_get(*, store: Store, patient_id: str) -> list[dict[str, Any]]:
    """The signed-in prescriber's own unsigned drafts for this client, oldest first."""
    mine = user_reference(store)
    drafts = [
        r
        for r in medication_requests_get(store=store, patient_id=patient_id, statuses="draft")
        if (r.get("requester") or {}).get("reference") == mine
    ]
    return list(reversed(drafts))


def catalogue_search(*, query: str, limit: int = 15) -> list[Product]:
    """Products (substance, form, strength) of the medicines matching the query, best matches first."""
    return [p for m in medicine_search(query=query[:100], limit=limit) for p in m.products]


def product_get(*, product_id: str) -> Product | None:
    return knowledge_base().products.get(product_id)


def products_of_substances(*, atc_codes: tuple[str, ...]) -> list[Product]:
    return [p for p in knowledge_base().products.values() if p.atc in atc_codes]


@dataclass(frozen=True)
class MedicationsPage:
    client: ClientHeader
    current: list[OrderLine]
    drafts: list[OrderLine]
    draft_cards: list[ShownCard]
    review_cards: list[ShownCard]
    results: list[Product]
    query: str
    check_problem: str = ""


def medications_page_get(*, store: Store, patient_id: str, query: str = "", checks: bool = True) -> MedicationsPage:
    """Everything the medications page shows. With `checks`, the drafts get the passive order-select check and
    the current list the patient-view review; a blocked signing shows its own cards instead."""
    client = client_header_get(store=store, patient_id=patient_id)
    drafts = drafts_get(store=store, patient_id=patient_id)
    draft_cards: list[ShownCard] = []
    review_cards: list[ShownCard] = []
    problem = ""
    if checks:
        try:
            draft_cards = drafts_select_check(store=store, patient_id=patient_id, drafts=drafts)
            review_cards = medication_review(store=store, patient_id=patient_id)
        except CdsError as exc:
            problem = exc.message
    return MedicationsPage(
        client=client,
        current=current_medications_get(store=store, patient_id=patient_id),
        drafts=[order_line(d) for d in drafts],
        draft_cards=draft_cards,
        review_cards=review_cards,
        results=catalogue_search(query=query) if query.strip() else [],
        query=query,
        check_problem=problem,
    )


def order_product(order: dict[str, Any]) -> Product | None:
    """The catalogue product an order was written for, if it was written in Kaari."""
    codings = (order.get("medicationCodeableConcept") or {}).get("coding", [])
    for coding in codings:
        if isinstance(coding, dict) and coding.get("system") == PRODUCT_SYSTEM:
            return product_get(product_id=str(coding.get("code", "")))
    return None
