"""The duplicate-test CDS services: a thin adapter from a CDS Hooks call to `lab_duplicate_cards`.

The rule sees the call's draft ServiceRequests (for order-select only the selected ones) and the patient's
results, pending orders and reports from the prefetch, given by the client or read from Kaari's store through
the caller's gate, so "pending in any unit" means any unit the caller's access lets them see.
"""

from __future__ import annotations

from typing import Any

from kaari.cds.cards import Card
from kaari.cds.hooks import CdsRequest
from kaari.cds.registry import CdsService
from kaari.labs.rules.context import context_from_resources
from kaari.labs.rules.duplicates import lab_duplicate_cards

_PATIENT = "{{context.patientId}}"
# Results are laboratory-category Observations, newest first; the longest retesting interval is well inside the
# newest 500. Reports tell which active orders already have their results.
PREFETCH = {
    "results": f"Observation?patient={_PATIENT}&category=laboratory&_sort=-date&_count=500",
    "pendingOrders": (
        f"ServiceRequest?patient={_PATIENT}&status=active,on-hold"
        "&_include=ServiceRequest:requester&_include=ServiceRequest:performer"
    ),
    "reports": f"DiagnosticReport?patient={_PATIENT}&_sort=-date&_count=200",
    "encounter": "Encounter/{{context.encounterId}}",
}
LAB_ORDERS = frozenset({"ServiceRequest"})
USAGE = (
    "Send a Kaari bearer token. draftOrders: ServiceRequest coded with LOINC (http://loinc.org) or Kaari's "
    "national abbreviations. Cards are warnings (passive) with a remove suggestion and override reasons."
)


def lab_duplicates_handler(request: CdsRequest) -> list[Card]:
    drafts = request.orders_checked(LAB_ORDERS)
    draft_keys = {("ServiceRequest", d["id"]) for d in request.draft_orders if d["resourceType"] == "ServiceRequest"}
    # A stored copy of a draft of this call is the draft itself, not an earlier order; stored drafts of other
    # sessions are nobody's order yet.
    stored: list[dict[str, Any]] = [
        r
        for r in request.resources()
        if (r.get("resourceType"), r.get("id")) not in draft_keys
        and not (r.get("resourceType") == "ServiceRequest" and r.get("status") == "draft")
    ]
    context = context_from_resources(resources=[*stored, *drafts], draft_ids=[d["id"] for d in drafts])
    return lab_duplicate_cards(context)


SERVICES = (
    CdsService(
        id="lab-duplicates",
        hook="order-sign",
        title="Kaari duplicate laboratory tests",
        description=(
            "Warns when a laboratory test being signed repeats a result inside its cited minimum retesting "
            "interval (matched by analyte, panels included) or a test already ordered and pending."
        ),
        handler=lab_duplicates_handler,
        prefetch=PREFETCH,
        usage_requirements=USAGE,
        order_types=LAB_ORDERS,
    ),
    CdsService(
        id="lab-duplicates-select",
        hook="order-select",
        title="Kaari duplicate laboratory tests (on selection)",
        description="The duplicate-test check for the newly selected laboratory orders, before signing.",
        handler=lab_duplicates_handler,
        prefetch=PREFETCH,
        usage_requirements=USAGE,
        order_types=LAB_ORDERS,
    ),
)
