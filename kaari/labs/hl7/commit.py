"""The store-backed commit step of the HL7 intake: match the client and the order, then write the results.

`StoreResultCommit()` is the `commit` that `KeepingIntake` calls with a parsed message and its mapped
transaction Bundle. In one store transaction it writes every Observation and DiagnosticReport, linked to the
order (basedOn) and the client, and marks the order completed when its report is final. Each message gets its
own gate (`intake_gate`: the system job `hl7-intake`), so every match and write is in one access log entry.

- The client: `Patient/<id>` when the sender echoes Kaari's id, else the personal identity code (HETU).
- The order: OBR-2 placer number, `ServiceRequest/<id>` for Kaari's own orders, else by identifier. It must
  belong to the same client. Not found, ambiguous or another client's: AE with the reason (the message stays
  kept for review and can be reprocessed once corrected or once the order exists).
- Idempotent: ids are derived from the order, the report's identifiers and the result codes, so a message
  processed again, or a corrected result (OBX-11 C) for the same order, updates the same resources instead of
  duplicating them.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote

from django.db import transaction

from kaari.access.audit.log import AccessScope
from kaari.access.gate import AccessGate
from kaari.access.principal import system_principal
from kaari.fhir.store import MultipleMatches, ResourceGone, ResourceNotFound, Store, StoredResource, StoreError
from kaari.labs.hl7.errors import APPLICATION_INTERNAL_ERROR, REQUIRED_FIELD_MISSING, UNKNOWN_KEY_IDENTIFIER, Hl7Error
from kaari.labs.hl7.parse import OruMessage

_IDS = uuid.UUID("0f6b8a52-3c1e-4d7e-9a0b-2b1f5e7c9d31")
DUPLICATE_KEY_IDENTIFIER = "205"
# A final report completes the order; preliminary and partial ones leave it active.
COMPLETING_REPORT_STATUSES = frozenset({"final", "corrected", "amended", "appended"})
OPEN_ORDER_STATUSES = frozenset({"active", "on-hold"})


def _escaped(text: str) -> str:
    """A value for a FHIR search: its separators (`,` `|` `$`) and backslash escaped."""
    for character in ("\\", ",", "|", "$"):
        text = text.replace(character, "\\" + character)
    return text


def _derived_id(*parts: str) -> str:
    return str(uuid.uuid5(_IDS, "|".join(parts)))


def _first_code(resource: dict[str, Any]) -> str:
    codings = (resource.get("code") or {}).get("coding") or [{}]
    return f"{codings[0].get('system', '')}|{codings[0].get('code', '')}"


def intake_gate(*, control_ids: Sequence[str]) -> AccessGate:
    """The gate of one commit: Kaari's HL7 intake as a system job, everything it reads and writes for these
    messages gathered into one access log entry."""
    principal = system_principal("hl7-intake")
    request = f"HL7 ORU^R01 {','.join(control_ids)}"
    return AccessGate(principal, scope=AccessScope(principal=principal, request=request[:400]))


def intake_store() -> Store:
    """A store for the intake's own maintenance (preparing a load run); each operation logged on its own."""
    return Store(AccessGate(system_principal("hl7-intake")))


class StoreResultCommit:
    """Commits the results of messages that arrive together in one store transaction (group commit); when that
    is refused, each message on its own, so that one bad message does not hold back the others."""

    def __init__(self, *, gate_open: Callable[..., AccessGate] = intake_gate, base_url: str = "urn:kaari:hl7") -> None:
        self.gate_open = gate_open
        self.base_url = base_url

    def __call__(self, message: OruMessage, bundle: dict[str, Any]) -> None:
        error = self.commit_many([(message, bundle)])[0]
        if error is not None:
            raise error

    def commit_many(self, items: Sequence[tuple[OruMessage, dict[str, Any]]]) -> list[Exception | None]:
        # One gate (one log scope) per commit: the listener commits from several processes.
        gate = self.gate_open(control_ids=[message.control_id for message, _ in items])
        store = Store(gate)
        errors: list[Exception | None] = [None] * len(items)
        try:
            # Its own savepoint: a failure rolls back these reads and writes, not the kept messages.
            with transaction.atomic():
                matched: list[tuple[int, list[dict[str, Any]]]] = []
                for index, (_, bundle) in enumerate(items):
                    try:
                        matched.append((index, _MessageCommit(store).writes(bundle)))
                    except Hl7Error as exc:
                        errors[index] = exc
                try:
                    with transaction.atomic():
                        self._store([w for _, writes in matched for w in writes], store)
                    matched = []
                except Hl7Error as exc:
                    if len(matched) == 1:
                        errors[matched[0][0]] = exc
                        matched = []
                    # Otherwise one of them is refused, or two touch the same order: each on its own below.
                for index, _ in matched:
                    try:
                        # Matched again: an earlier message of this batch may have completed the same order.
                        with transaction.atomic():
                            self._store(_MessageCommit(store).writes(items[index][1]), store)
                    except Hl7Error as exc:
                        errors[index] = exc
        finally:
            # Outside the savepoint, so that the log entry stays even when results are refused.
            gate.scope_close(status=422 if any(errors) else 200)
        return errors

    def _store(self, writes: list[dict[str, Any]], store: Store) -> None:
        if not writes:
            return
        try:
            store.transaction(
                {"resourceType": "Bundle", "type": "transaction", "entry": writes}, base_url=self.base_url
            )
        except StoreError as exc:
            raise Hl7Error("AE", APPLICATION_INTERNAL_ERROR, f"the results could not be stored: {exc.message}") from exc


class _MessageCommit:
    """Matching one message's client and orders, and the writes that store its results."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def writes(self, bundle: dict[str, Any]) -> list[dict[str, Any]]:
        entries = [entry["resource"] for entry in bundle["entry"]]
        patient = self._patient(entries[0]["subject"]["reference"])
        subject = {"reference": f"Patient/{patient.id}"}
        writes: list[dict[str, Any]] = []
        pending: list[dict[str, Any]] = []
        completed: set[str] = set()
        reports = 0
        for resource in entries:
            if resource["resourceType"] == "Observation":
                pending.append(resource)
                continue
            reports += 1
            order = self._order(resource, patient, reports)
            writes += self._report_writes(resource, pending, order, subject)
            if order.id not in completed:
                completion = self._order_completion(resource, order)
                completed.update(order.id for _ in completion)
                writes += completion
            pending = []
        return writes

    # -- matching ------------------------------------------------------------------------------------------------

    def _one(self, reference: str, *, what: str, location: str) -> StoredResource | None:
        """The resource a literal or `Type?identifier=system|value` reference names, None when there is none."""
        try:
            if "?" not in reference:
                resource_type, _, logical_id = reference.partition("/")
                return self.store.read(resource_type, logical_id)
            resource_type, _, criteria = reference.partition("?")
            system, _, value = criteria.removeprefix("identifier=").partition("|")
            return self.store.match(
                resource_type, f"identifier={quote(_escaped(system), safe='')}|{quote(_escaped(value), safe='')}"
            )
        except (ResourceNotFound, ResourceGone):
            return None
        except MultipleMatches as exc:
            raise Hl7Error("AE", DUPLICATE_KEY_IDENTIFIER, f"{what}: {exc.message}", location) from exc

    def _patient(self, reference: str) -> StoredResource:
        patient = self._one(reference, what="PID-3", location="PID^1^3")
        if patient is None:
            key = reference.rpartition("|")[2] if "?" in reference else reference
            raise Hl7Error("AE", UNKNOWN_KEY_IDENTIFIER, f"PID-3: no client {key} in Kaari", "PID^1^3")
        return patient

    def _order(self, report: dict[str, Any], patient: StoredResource, position: int) -> StoredResource:
        location = f"OBR^{position}^2"
        based_on = report.get("basedOn") or []
        if not based_on:
            raise Hl7Error("AE", REQUIRED_FIELD_MISSING, "OBR-2 placer order number is required", location)
        reference = based_on[0]["reference"]
        order = self._one(reference, what="OBR-2", location=location)
        key = reference.rpartition("|")[2] if "?" in reference else reference
        if order is None:
            raise Hl7Error("AE", UNKNOWN_KEY_IDENTIFIER, f"OBR-2: no order {key} in Kaari", location)
        if (order.resource.get("subject") or {}).get("reference") != f"Patient/{patient.id}":
            raise Hl7Error("AE", UNKNOWN_KEY_IDENTIFIER, f"OBR-2: order {key} is another client's", location)
        return order

    # -- writing -------------------------------------------------------------------------------------------------

    def _report_writes(
        self,
        report: dict[str, Any],
        observations: list[dict[str, Any]],
        order: StoredResource,
        subject: dict[str, str],
    ) -> list[dict[str, Any]]:
        identifiers = sorted(f"{i.get('system')}|{i.get('value')}" for i in report.get("identifier") or [])
        report_key = (order.id, *identifiers, _first_code(report))
        seen: Counter[str] = Counter()
        based_on = [{"reference": order.reference}]
        writes: list[dict[str, Any]] = []
        results = []
        for observation in observations:
            code = _first_code(observation)
            seen[code] += 1
            observation_id = _derived_id(*report_key, code, str(seen[code]))
            writes.append(_put({**observation, "id": observation_id, "subject": subject, "basedOn": based_on}))
            results.append({"reference": f"Observation/{observation_id}"})
        report_id = _derived_id(*report_key)
        writes.append(_put({**report, "id": report_id, "subject": subject, "basedOn": based_on, "result": results}))
        return writes

    def _order_completion(self, report: dict[str, Any], order: StoredResource) -> list[dict[str, Any]]:
        current = order.resource
        if report.get("status") not in COMPLETING_REPORT_STATUSES or current.get("status") not in OPEN_ORDER_STATUSES:
            return []
        return [_put({**current, "status": "completed"}, if_match=order.version_id)]


def _put(resource: dict[str, Any], *, if_match: int | None = None) -> dict[str, Any]:
    request: dict[str, Any] = {"method": "PUT", "url": f"{resource['resourceType']}/{resource['id']}"}
    if if_match is not None:
        request["ifMatch"] = f'W/"{if_match}"'
    return {"resource": resource, "request": request}
