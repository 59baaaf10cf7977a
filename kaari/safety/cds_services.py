"""The medication-safety CDS services: thin adapters from a CDS Hooks call to the pure rules.

Each builds a `MedicationContext` from the call's prefetch (given by the client or read from Kaari's store
through the caller's gate by the runtime) and its draft orders, and returns the rules' cards unchanged.
"""

from __future__ import annotations

from kaari.cds.cards import Card
from kaari.cds.hooks import CdsRequest
from kaari.cds.registry import CdsService
from kaari.safety.rules import medication_context_build, medication_review_cards, medication_safety_cards
from kaari.safety.rules.context import CREATININE_LOINC, EGFR_LOINC, WEIGHT_LOINC

_PATIENT = "{{context.patientId}}"
_KIDNEY_AND_WEIGHT = ",".join(
    f"http://loinc.org|{code}" for code in sorted(EGFR_LOINC | CREATININE_LOINC | WEIGHT_LOINC)
)

# What the rules read: the patient (age, sex), current orders and statements (with referenced Medications),
# allergies, and the latest kidney function and weight.
PREFETCH = {
    "patient": f"Patient/{_PATIENT}",
    "medications": (
        f"MedicationRequest?patient={_PATIENT}&status=active,on-hold&_include=MedicationRequest:medication"
    ),
    "statements": (
        f"MedicationStatement?patient={_PATIENT}&status=active,intended,on-hold&_include=MedicationStatement:medication"
    ),
    "allergies": f"AllergyIntolerance?patient={_PATIENT}",
    "kidneyAndWeight": f"Observation?patient={_PATIENT}&code={_KIDNEY_AND_WEIGHT}&_sort=-date&_count=50",
}
MEDICATION_ORDERS = frozenset({"MedicationRequest"})
USAGE = (
    "Send a Kaari bearer token. draftOrders: MedicationRequest coded with ATC (http://www.whocc.no/atc). "
    "Only critical cards are meant to interrupt; warning and info cards are passive."
)


def medication_safety_handler(request: CdsRequest) -> list[Card]:
    context = medication_context_build(
        resources=request.resources(),
        draft_orders=request.draft_orders,
        selections=request.selections if request.hook == "order-select" else None,
    )
    return medication_safety_cards(context)


def medication_review_handler(request: CdsRequest) -> list[Card]:
    return medication_review_cards(medication_context_build(resources=request.resources(), review=True))


SERVICES = (
    CdsService(
        id="medication-safety",
        hook="order-sign",
        title="Kaari medication safety",
        description=(
            "Checks medication orders being signed for drug-drug interactions, allergies and cross-reactivity, "
            "duplicate therapy, renal dosing (eGFR, Cockcroft-Gault) and potentially inappropriate medicines "
            "from age 75, against Kaari's cited knowledge base."
        ),
        handler=medication_safety_handler,
        prefetch=PREFETCH,
        usage_requirements=USAGE,
        order_types=MEDICATION_ORDERS,
    ),
    CdsService(
        id="medication-safety-select",
        hook="order-select",
        title="Kaari medication safety (on selection)",
        description=(
            "The medication-safety checks for the newly selected medication orders, while the prescriber is "
            "still choosing; the other drafts count as the patient's medicines."
        ),
        handler=medication_safety_handler,
        prefetch=PREFETCH,
        usage_requirements=USAGE,
        order_types=MEDICATION_ORDERS,
    ),
    CdsService(
        id="medication-review",
        hook="patient-view",
        title="Kaari medication review",
        description=(
            "Reviews the patient's current medication list when the chart is opened: interactions, duplicate "
            "therapy, allergies, renal dosing and potentially inappropriate medicines for older patients."
        ),
        handler=medication_review_handler,
        prefetch=PREFETCH,
        usage_requirements="Send a Kaari bearer token. Review cards are passive unless critical.",
    ),
)
