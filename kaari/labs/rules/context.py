"""What the duplicate-test rule sees: drafts, results and pending orders of one patient.

The caller (the CDS service, after the access gate) decides which resources are visible; this
module only sorts them. `context_from_resources` takes plain FHIR resource dicts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from kaari.labs.fhirtime import utc_now
from kaari.labs.knowledge import LabKnowledge, lab_knowledge

Setting = Literal["ambulatory", "acute"]

# Orders that ask for work to be done (FHIR request-intent), not proposals or plans.
ORDER_INTENTS = frozenset({"order", "original-order", "reflex-order", "filler-order", "instance-order"})
PENDING_STATUSES = frozenset({"active", "on-hold"})
RESULT_STATUSES = frozenset({"preliminary", "final", "amended", "corrected"})
REPORTED_STATUSES = frozenset({"final", "amended", "corrected", "appended"})
# v3 ActCode encounter classes in which the acute retesting intervals apply.
ACUTE_ENCOUNTER_CLASSES = frozenset({"IMP", "EMER", "ACUTE", "SS", "OBSENC"})


@dataclass(frozen=True)
class LabDuplicateContext:
    draft_orders: tuple[dict[str, Any], ...]
    results: tuple[dict[str, Any], ...]
    pending_orders: tuple[dict[str, Any], ...]
    now: datetime
    knowledge: LabKnowledge
    setting: Setting = "ambulatory"
    # "Organization/1" -> "Terveysasema Kaari": names for requesters, performers and encounters.
    names: Mapping[str, str] = field(default_factory=dict)


def context_from_resources(
    *,
    resources: Iterable[Mapping[str, Any]],
    now: datetime | None = None,
    draft_ids: Iterable[str] | None = None,
    setting: Setting | None = None,
    knowledge: LabKnowledge | None = None,
) -> LabDuplicateContext:
    """Sort resources into drafts (status draft, or listed in draft_ids), results and pending orders."""
    items = [dict(resource) for resource in resources]
    draft_id_set = set(draft_ids or ())
    requests = [r for r in items if r.get("resourceType") == "ServiceRequest"]
    drafts = [r for r in requests if r.get("status") == "draft" or r.get("id") in draft_id_set]
    reported = _reported_order_ids(items)
    pending = [
        r
        for r in requests
        if r not in drafts
        and r.get("status") in PENDING_STATUSES
        and r.get("intent") in ORDER_INTENTS
        and r.get("id") not in reported
    ]
    results = [r for r in items if r.get("resourceType") == "Observation" and _is_a_result(r)]
    return LabDuplicateContext(
        draft_orders=tuple(drafts),
        results=tuple(results),
        pending_orders=tuple(pending),
        now=now or utc_now(),
        knowledge=knowledge or lab_knowledge(),
        setting=setting or _setting_of_drafts(drafts, items),
        names=_names(items),
    )


def _is_a_result(observation: Mapping[str, Any]) -> bool:
    # A sample that was lost or could not be analysed (dataAbsentReason, no value) is not a result.
    if observation.get("status") not in RESULT_STATUSES:
        return False
    if any(key.startswith("value") for key in observation):
        return True
    return any(any(k.startswith("value") for k in c) for c in observation.get("component") or [])


def _reported_order_ids(items: list[dict[str, Any]]) -> set[str]:
    ids: set[str] = set()
    for item in items:
        if item.get("resourceType") not in ("DiagnosticReport", "Observation"):
            continue
        done = REPORTED_STATUSES if item["resourceType"] == "DiagnosticReport" else RESULT_STATUSES - {"preliminary"}
        if item.get("status") not in done:
            continue
        for based_on in item.get("basedOn") or []:
            reference = based_on.get("reference") or ""
            if reference.startswith("ServiceRequest/"):
                ids.add(reference.removeprefix("ServiceRequest/"))
    return ids


def _setting_of_drafts(drafts: list[dict[str, Any]], items: list[dict[str, Any]]) -> Setting:
    encounters = {f"Encounter/{e.get('id')}": e for e in items if e.get("resourceType") == "Encounter"}
    for draft in drafts:
        encounter = encounters.get((draft.get("encounter") or {}).get("reference") or "")
        if encounter and (encounter.get("class") or {}).get("code") in ACUTE_ENCOUNTER_CLASSES:
            return "acute"
    return "ambulatory"


def _names(items: list[dict[str, Any]]) -> dict[str, str]:
    names: dict[str, str] = {}
    for item in items:
        kind, item_id = item.get("resourceType"), item.get("id")
        if not kind or not item_id:
            continue
        name = _name_of(item)
        if name:
            names[f"{kind}/{item_id}"] = name
    return names


def _name_of(item: Mapping[str, Any]) -> str | None:
    kind = item.get("resourceType")
    if kind in ("Organization", "Location", "HealthcareService"):
        return item.get("name")
    if kind == "Practitioner":
        for human in item.get("name") or []:
            if human.get("text"):
                return str(human["text"])
            parts = [*human.get("given", []), human.get("family", "")]
            return " ".join(p for p in parts if p) or None
    if kind == "PractitionerRole":
        return (item.get("organization") or {}).get("display") or (item.get("practitioner") or {}).get("display")
    if kind == "Encounter":
        return (item.get("serviceProvider") or {}).get("display")
    return None
