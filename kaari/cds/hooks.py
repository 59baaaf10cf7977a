"""A CDS Hooks 2.0 service request, validated at the edge: hook, hookInstance, context per hook, prefetch.

Anything the specification requires and the body lacks, or anything malformed, is a `BadCdsRequest` (400)
naming the field. `fhirServer` and `fhirAuthorization` are checked for shape only: Kaari reads its own store
with the caller's Kaari token, never a server named by the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kaari.cds.errors import BadCdsRequest
from kaari.fhir.validation import validate_resource

_ID = re.compile(r"^[A-Za-z0-9\-\.]{1,64}$")
_USER = re.compile(r"^(Practitioner|PractitionerRole|Patient|RelatedPerson)/[A-Za-z0-9\-\.]{1,64}$")
_HOOK_INSTANCE = re.compile(r"^[\x21-\x7e]{1,128}$")
# The request types draftOrders may carry (order-sign and order-select, CDS Hooks 2.0 hook definitions).
DRAFT_ORDER_TYPES = frozenset(
    {"DeviceRequest", "MedicationRequest", "NutritionOrder", "ServiceRequest", "VisionPrescription"}
)


@dataclass(frozen=True)
class HookSpec:
    required: tuple[str, ...]
    optional: tuple[str, ...] = ("encounterId",)
    draft_orders: bool = False
    selections: bool = False


HOOKS: dict[str, HookSpec] = {
    "patient-view": HookSpec(required=("userId", "patientId")),
    "order-select": HookSpec(
        required=("userId", "patientId", "selections", "draftOrders"), draft_orders=True, selections=True
    ),
    "order-sign": HookSpec(required=("userId", "patientId", "draftOrders"), draft_orders=True),
}


@dataclass(frozen=True)
class CdsRequest:
    """A validated call. `prefetch` maps each template key to a resource, a Bundle, or None (no data)."""

    service_id: str
    hook: str
    hook_instance: str
    user_id: str
    patient_id: str
    context: dict[str, Any]
    encounter_id: str | None = None
    draft_orders: tuple[dict[str, Any], ...] = ()
    selections: tuple[str, ...] = ()
    prefetch: dict[str, Any] = field(default_factory=dict)

    def resources(self) -> list[dict[str, Any]]:
        """Every resource in the prefetch, Bundles opened, each (type, id) once."""
        seen: set[tuple[str, str]] = set()
        found: list[dict[str, Any]] = []
        for value in self.prefetch.values():
            for resource in _resources_of(value):
                key = (str(resource.get("resourceType")), str(resource.get("id", id(resource))))
                if key not in seen:
                    seen.add(key)
                    found.append(resource)
        return found

    def orders_checked(self, types: frozenset[str]) -> list[dict[str, Any]]:
        """The drafts of these types this call is about: the selected ones for order-select, else all."""
        drafts = [d for d in self.draft_orders if d.get("resourceType") in types]
        if self.hook != "order-select":
            return drafts
        chosen = set(self.selections)
        return [d for d in drafts if f"{d['resourceType']}/{d['id']}" in chosen]


def _resources_of(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, dict):
        return []
    if value.get("resourceType") == "Bundle":
        return [
            e["resource"]
            for e in value.get("entry") or []
            if isinstance(e, dict) and isinstance(e.get("resource"), dict)
        ]
    return [value]


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadCdsRequest(f"{where} must be a non-empty string", where=where)
    return value


def hook_request_parse(*, body: Any, service_id: str, hook: str) -> CdsRequest:
    if not isinstance(body, dict):
        raise BadCdsRequest("The request body must be a JSON object")
    given_hook = _string(body.get("hook"), "hook")
    if given_hook != hook:
        raise BadCdsRequest(f"Service {service_id!r} answers hook {hook!r}, not {given_hook!r}", where="hook")
    hook_instance = _string(body.get("hookInstance"), "hookInstance")
    if not _HOOK_INSTANCE.match(hook_instance):
        raise BadCdsRequest("hookInstance must be a UUID (at most 128 visible characters)", where="hookInstance")
    _server_check(body)
    context = body.get("context")
    if not isinstance(context, dict):
        raise BadCdsRequest("context must be a JSON object", where="context")
    spec = HOOKS[hook]
    for key in spec.required:
        if key not in context or context[key] is None:
            raise BadCdsRequest(f"context.{key} is required for {hook}", where=f"context.{key}")
    user_id = _string(context["userId"], "context.userId")
    if not _USER.match(user_id):
        raise BadCdsRequest(
            "context.userId must be a reference such as Practitioner/123 (or PractitionerRole, Patient, RelatedPerson)",
            where="context.userId",
        )
    patient_id = _string(context["patientId"], "context.patientId")
    if not _ID.match(patient_id):
        raise BadCdsRequest("context.patientId must be a FHIR id (1-64 of A-Z a-z 0-9 - .)", where="context.patientId")
    encounter_id = context.get("encounterId")
    if encounter_id is not None and (not isinstance(encounter_id, str) or not _ID.match(encounter_id)):
        raise BadCdsRequest("context.encounterId must be a FHIR id", where="context.encounterId")
    drafts = _draft_orders(context["draftOrders"], patient_id) if spec.draft_orders else ()
    selections = _selections(context["selections"], drafts) if spec.selections else ()
    return CdsRequest(
        service_id=service_id,
        hook=hook,
        hook_instance=hook_instance,
        user_id=user_id,
        patient_id=patient_id,
        context=context,
        encounter_id=encounter_id,
        draft_orders=drafts,
        selections=selections,
        prefetch=_prefetch(body.get("prefetch"), patient_id),
    )


def _server_check(body: dict[str, Any]) -> None:
    server = body.get("fhirServer")
    if server is not None and (not isinstance(server, str) or not server.startswith(("http://", "https://"))):
        raise BadCdsRequest("fhirServer must be an http(s) URL", where="fhirServer")
    authorization = body.get("fhirAuthorization")
    if authorization is None:
        return
    if not isinstance(authorization, dict) or server is None:
        raise BadCdsRequest("fhirAuthorization must be an object and comes with fhirServer", where="fhirAuthorization")
    for key in ("access_token", "token_type", "scope", "subject"):
        if not isinstance(authorization.get(key), str):
            raise BadCdsRequest(f"fhirAuthorization.{key} must be a string", where=f"fhirAuthorization.{key}")
    if not isinstance(authorization.get("expires_in"), int):
        raise BadCdsRequest("fhirAuthorization.expires_in must be an integer", where="fhirAuthorization.expires_in")


def _draft_orders(value: Any, patient_id: str) -> tuple[dict[str, Any], ...]:
    where = "context.draftOrders"
    if not isinstance(value, dict) or value.get("resourceType") != "Bundle":
        raise BadCdsRequest("context.draftOrders must be a FHIR Bundle", where=where)
    entries = value.get("entry", [])
    if not isinstance(entries, list):
        raise BadCdsRequest("context.draftOrders.entry must be an array", where=f"{where}.entry")
    drafts: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        at = f"{where}.entry[{index}].resource"
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict):
            raise BadCdsRequest("each draftOrders entry must carry a resource", where=at)
        kind = resource.get("resourceType")
        if kind not in DRAFT_ORDER_TYPES:
            raise BadCdsRequest(f"draftOrders may hold {', '.join(sorted(DRAFT_ORDER_TYPES))}, not {kind!r}", where=at)
        if not isinstance(resource.get("id"), str) or not _ID.match(resource["id"]):
            raise BadCdsRequest("each draft order needs an id, so that cards and selections can name it", where=at)
        if resource.get("status") != "draft":
            raise BadCdsRequest(f"draft orders have status 'draft', not {resource.get('status')!r}", where=at)
        reference = f"{kind}/{resource['id']}"
        if reference in seen:
            raise BadCdsRequest(f"{reference} appears twice in draftOrders", where=at)
        seen.add(reference)
        _subject_check(resource, patient_id, at)
        errors = [i for i in validate_resource(resource) if i.severity in ("error", "fatal")]
        if errors:
            first = errors[0]
            raise BadCdsRequest(
                f"{reference} is not valid FHIR R4: {first.diagnostics}"
                + (f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""),
                where=f"{at}.{first.expression}" if first.expression else at,
            )
        drafts.append(resource)
    return tuple(drafts)


def _subject_check(resource: dict[str, Any], patient_id: str, where: str) -> None:
    """A draft or prefetched resource about another patient than the context's is a client error, not data."""
    for key in ("subject", "patient"):
        reference = resource.get(key)
        if isinstance(reference, dict) and isinstance(reference.get("reference"), str):
            target = reference["reference"]
            if target.startswith("Patient/") and target != f"Patient/{patient_id}":
                raise BadCdsRequest(f"{key} {target} is not the context patient Patient/{patient_id}", where=where)


def _selections(value: Any, drafts: tuple[dict[str, Any], ...]) -> tuple[str, ...]:
    where = "context.selections"
    if not isinstance(value, list) or not value:
        raise BadCdsRequest("context.selections must be a non-empty array", where=where)
    known = {f"{d['resourceType']}/{d['id']}" for d in drafts}
    for index, item in enumerate(value):
        if not isinstance(item, str) or item not in known:
            raise BadCdsRequest(
                f"context.selections[{index}] ({item!r}) names no order in draftOrders (e.g. MedicationRequest/103)",
                where=f"{where}[{index}]",
            )
    return tuple(value)


def _prefetch(value: Any, patient_id: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadCdsRequest("prefetch must be a JSON object", where="prefetch")
    prefetch: dict[str, Any] = {}
    for key, item in value.items():
        where = f"prefetch.{key}"
        if item is not None and (not isinstance(item, dict) or not isinstance(item.get("resourceType"), str)):
            raise BadCdsRequest("each prefetch value must be a FHIR resource or null", where=where)
        for resource in _resources_of(item):
            if not isinstance(resource.get("resourceType"), str):
                raise BadCdsRequest("a prefetched Bundle entry has no resourceType", where=where)
            if resource["resourceType"] == "Patient" and resource.get("id") not in (None, patient_id):
                raise BadCdsRequest(f"Patient/{resource.get('id')} is not the context patient", where=where)
            _subject_check(resource, patient_id, where)
        prefetch[key] = item
    return prefetch
