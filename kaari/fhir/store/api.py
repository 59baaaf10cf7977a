"""The store API: the one way to read and write FHIR resources in Kaari.

A `Store` is bound to a `Gate` (who is asking, and what they may see). The REST API, the UI, CDS services and
commands all go through here; nothing else touches the tables.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from kaari.fhir import conventions, spec
from kaari.fhir.store import indexing, observers, repository
from kaari.fhir.store.errors import (
    InvalidRequest,
    InvalidResource,
    Issue,
    ResourceConflict,
    ResourceGone,
    ResourceNotFound,
    StoreError,
    UnprocessableResource,
    VersionConflict,
)
from kaari.fhir.store.gate import Gate, Labels
from kaari.fhir.store.records import HistoryPage, StoredResource, WriteResult, instant_format
from kaari.fhir.store.repository import WritePlan
from kaari.fhir.validation import validate_resource
from kaari.lib.hetu import hetu_is_valid
from kaari.lib.jsonpatch import PatchError, json_patch_apply, merge_patch_apply
from kaari.lib.jsonutil import json_dumps

if TYPE_CHECKING:
    from kaari.fhir.search.service import SearchOutcome, SearchRequest

# Types Kaari keeps as records without the behaviour they describe; the CapabilityStatement says so per type.
RECORD_ONLY_TYPES = {
    "Subscription": "Stored as a record only: Kaari sends no notifications, and leaves status as the client set it.",
}
MAX_HISTORY_COUNT = 1000


def _now() -> datetime:
    moment = datetime.now(UTC)
    return moment.replace(microsecond=moment.microsecond - moment.microsecond % 1000)


def resource_type_check(resource_type: str) -> None:
    if resource_type not in spec.resource_types():
        raise ResourceNotFound(f"Unknown resource type '{resource_type}'")


def storable_type_check(resource_type: str) -> None:
    resource_type_check(resource_type)


def resource_validate(resource: Any, *, expected_type: str | None = None) -> dict[str, Any]:
    """The resource if it is valid R4 of the expected type; otherwise InvalidResource naming each problem."""
    if not isinstance(resource, dict):
        raise InvalidResource("The body is not a JSON object", issues=[Issue("structure", "Expected a resource")])
    resource_type = resource.get("resourceType")
    if expected_type is not None and resource_type != expected_type:
        raise InvalidResource(
            f"resourceType '{resource_type}' does not match the URL's '{expected_type}'",
            issues=[Issue("invalid", "resourceType does not match the URL", expression="resourceType")],
        )
    if isinstance(resource_type, str):
        storable_type_check(resource_type)
    problems = [
        Issue(p.code, p.diagnostics, expression=p.expression, severity=p.severity)
        for p in validate_resource(resource)
        if p.severity in ("error", "fatal")
    ]
    if resource_type == "Patient":
        problems.extend(_identity_code_problems(resource))
    if problems:
        raise InvalidResource(f"{resource_type} is not valid FHIR R4", issues=problems)
    return resource


_ID = re.compile(r"^[A-Za-z0-9\-\.]{1,64}$")


def logical_id_check(logical_id: str) -> None:
    if not _ID.match(logical_id):
        raise InvalidRequest(
            f"'{logical_id}' is not a valid resource id (1-64 of A-Z a-z 0-9 - .)",
            issues=[Issue("value", f"Invalid id '{logical_id}'", expression="id")],
        )


def _identity_code_problems(patient: dict[str, Any]) -> list[Issue]:
    """A personal identity code must be valid: date, individual number, century sign and check character."""
    problems = []
    for index, identifier in enumerate(patient.get("identifier") or ()):
        if not isinstance(identifier, dict) or identifier.get("system") != conventions.HETU_SYSTEM:
            continue
        value = identifier.get("value")
        if not isinstance(value, str) or not hetu_is_valid(value):
            problems.append(
                Issue(
                    "value",
                    f"'{value}' is not a valid Finnish personal identity code",
                    expression=f"Patient.identifier[{index}].value",
                )
            )
    return problems


def new_id() -> str:
    return str(uuid.uuid4())


def _hetu_identities(resource: dict[str, Any]) -> list[tuple[str, str]]:
    if resource.get("resourceType") != "Patient":
        return []
    found = []
    for identifier in resource.get("identifier") or ():
        if identifier.get("system") == conventions.HETU_SYSTEM and identifier.get("value"):
            found.append((conventions.HETU_SYSTEM, str(identifier["value"])))
    return found


def _meta_with_labels(meta: dict[str, Any], labels: Labels) -> dict[str, Any]:
    if labels.register:
        security = [c for c in meta.get("security", ()) if c.get("system") != conventions.REGISTER_SYSTEM]
        security.append({"system": conventions.REGISTER_SYSTEM, "code": labels.register})
        meta["security"] = security
    if labels.keeper:
        extensions = [e for e in meta.get("extension", ()) if e.get("url") != conventions.KEEPER_EXTENSION]
        extensions.append(
            {"url": conventions.KEEPER_EXTENSION, "valueReference": {"reference": f"Organization/{labels.keeper}"}}
        )
        meta["extension"] = extensions
    return meta


def labels_of(resource: dict[str, Any]) -> Labels:
    """The register and keeper a stored resource carries in its meta."""
    meta = resource.get("meta") or {}
    register = next(
        (c.get("code", "") for c in meta.get("security", ()) if c.get("system") == conventions.REGISTER_SYSTEM), ""
    )
    keeper = ""
    for extension in meta.get("extension", ()):
        if extension.get("url") == conventions.KEEPER_EXTENSION:
            reference = (extension.get("valueReference") or {}).get("reference", "")
            keeper = reference.rsplit("/", 1)[-1]
    return Labels(register=register, keeper=keeper)


@dataclass(frozen=True)
class LoadOutcome:
    """What happened to one resource of a bulk load: stored, or the error that rejected it."""

    index: int
    stored: StoredResource | None = None
    error: StoreError | None = None


class Store:
    """Create, read, vread, update, patch, delete, history, batch and transaction, behind a gate."""

    def __init__(self, gate: Gate) -> None:
        self.gate = gate

    # -- reads ---------------------------------------------------------------------------------------------

    def read(self, resource_type: str, logical_id: str) -> StoredResource:
        resource_type_check(resource_type)
        check = self.gate.read_check(resource_type)
        basis: str | None = ""
        if check is None:
            stored = repository.current_get(resource_type, logical_id)
        else:
            stored, basis = repository.current_get_checked(resource_type, logical_id, (check.sql, check.params))
        if stored is None:
            raise ResourceNotFound(f"{resource_type}/{logical_id} is not known")
        self.gate.authorize_read(stored, basis=basis)
        if stored.deleted:
            raise ResourceGone(f"{resource_type}/{logical_id} has been deleted")
        self.gate.record(action="read", resources=[stored])
        return stored

    def vread(self, resource_type: str, logical_id: str, version_id: str) -> StoredResource:
        resource_type_check(resource_type)
        if not version_id.isdigit():
            raise ResourceNotFound(f"Version '{version_id}' of {resource_type}/{logical_id} is not known")
        current = repository.current_get(resource_type, logical_id)
        if current is None:
            raise ResourceNotFound(f"{resource_type}/{logical_id} is not known")
        self.authorize_read(current)
        stored = repository.version_get(resource_type, logical_id, int(version_id))
        if stored is None:
            raise ResourceNotFound(f"Version {version_id} of {resource_type}/{logical_id} is not known")
        if stored.deleted:
            raise ResourceGone(f"Version {version_id} of {resource_type}/{logical_id} is a deletion")
        self.gate.record(action="vread", resources=[stored])
        return stored

    def history(
        self,
        *,
        resource_type: str | None = None,
        logical_id: str | None = None,
        since: datetime | None = None,
        count: int = 50,
        before: int | None = None,
    ) -> HistoryPage:
        if resource_type is not None:
            resource_type_check(resource_type)
        if logical_id is not None:
            assert resource_type is not None
            current = repository.current_get(resource_type, logical_id)
            if current is None:
                raise ResourceNotFound(f"{resource_type}/{logical_id} is not known")
            self.authorize_read(current)
        count = max(0, min(count, MAX_HISTORY_COUNT))
        restriction = self.gate.restriction(resource_type)
        entries, more = repository.history_page(
            resource_type=resource_type,
            logical_id=logical_id,
            since=since,
            before=before,
            count=count,
            restriction=(restriction.sql, restriction.params) if restriction else None,
        )
        self.gate.record(action="history", resources=entries)
        return HistoryPage(entries=entries, next_cursor=entries[-1].pk if more and entries else None)

    def export(self, resource_types: Sequence[str], *, batch: int = 1000) -> Iterator[list[StoredResource]]:
        """Every current resource of the types the gate admits, in batches (bulk export and rebuilds)."""
        for resource_type in resource_types:
            resource_type_check(resource_type)
        after = 0
        while True:
            restriction = self.gate.restriction(resource_types[0] if len(resource_types) == 1 else None)
            page = repository.current_page(
                resource_types=list(resource_types),
                after=after,
                count=batch,
                restriction=(restriction.sql, restriction.params) if restriction else None,
            )
            if not page:
                return
            self.gate.record(action="export", resources=page)
            yield page
            after = page[-1].pk

    def withheld_registers(self, patient_id: str) -> list[str]:
        """The registers in which the client has data that this actor may not see: the law requires the screen
        to say that such data exist (and not what they are). Empty when the gate restricts nothing."""
        restriction = self.gate.restriction(None)
        if restriction is None:
            return []
        withheld = repository.compartment_registers_withheld(patient_id, (restriction.sql, restriction.params))
        if withheld:
            self.gate.record(action="existence", resources=[], query=f"Patient/{patient_id}: withheld registers")
        return withheld

    def authorize_read(self, stored: StoredResource) -> None:
        """Ask the gate whether the actor may see this current row, evaluating its check in SQL when it has one."""
        check = self.gate.read_check(stored.resource_type)
        basis = "" if check is None else repository.check_evaluate(stored.pk, (check.sql, check.params))
        self.gate.authorize_read(stored, basis=basis)

    # -- writes --------------------------------------------------------------------------------------------

    def create(self, resource: Any, *, expected_type: str | None = None) -> WriteResult:
        resource = resource_validate(resource, expected_type=expected_type)
        with transaction.atomic():
            plan = self.write_plan(resource, logical_id=new_id(), current=None, method="POST", action="create")
            self.plans_apply([plan])
        stored = plan.stored()
        self.gate.record(action="create", resources=[stored])
        return WriteResult(stored=stored, created=True)

    def update(self, resource_type: str, logical_id: str, resource: Any, *, if_match: int | None = None) -> WriteResult:
        storable_type_check(resource_type)
        logical_id_check(logical_id)
        resource = resource_validate(resource, expected_type=resource_type)
        if resource.get("id") != logical_id:
            raise InvalidRequest(
                f"The resource id '{resource.get('id')}' does not match the URL's '{logical_id}'",
                issues=[Issue("invalid", "Resource id must match the URL", expression=f"{resource_type}.id")],
            )
        with transaction.atomic():
            current = repository.current_get(resource_type, logical_id, for_update=True)
            self.version_check(current, if_match)
            plan = self.write_plan(resource, logical_id=logical_id, current=current, method="PUT", action="update")
            self.plans_apply([plan])
        stored = plan.stored()
        self.gate.record(action="update", resources=[stored])
        return WriteResult(stored=stored, created=current is None or current.deleted)

    def patch(
        self,
        resource_type: str,
        logical_id: str,
        document: Any,
        *,
        kind: str,
        if_match: int | None = None,
    ) -> WriteResult:
        """Apply a JSON Patch (`kind="json-patch"`) or JSON Merge Patch (`kind="merge-patch"`)."""
        storable_type_check(resource_type)
        with transaction.atomic():
            current = repository.current_get(resource_type, logical_id, for_update=True)
            if current is None:
                raise ResourceNotFound(f"{resource_type}/{logical_id} is not known")
            self.authorize_read(current)
            if current.deleted:
                raise ResourceGone(f"{resource_type}/{logical_id} has been deleted")
            self.version_check(current, if_match)
            try:
                if kind == "json-patch":
                    patched = json_patch_apply(current.resource, document)
                else:
                    patched = merge_patch_apply(current.resource, document)
            except PatchError as exc:
                raise UnprocessableResource(f"The patch cannot be applied: {exc}") from exc
            if not isinstance(patched, dict) or patched.get("resourceType") != resource_type:
                raise UnprocessableResource("A patch may not change the resource type")
            if patched.get("id") != logical_id:
                raise UnprocessableResource("A patch may not change the resource id")
            patched = resource_validate(patched, expected_type=resource_type)
            plan = self.write_plan(patched, logical_id=logical_id, current=current, method="PATCH", action="update")
            self.plans_apply([plan])
        stored = plan.stored()
        self.gate.record(action="update", resources=[stored])
        return WriteResult(stored=stored)

    def delete(self, resource_type: str, logical_id: str, *, if_match: int | None = None) -> StoredResource | None:
        """Delete; the returned deletion version is None when the resource was already deleted."""
        resource_type_check(resource_type)
        with transaction.atomic():
            current = repository.current_get(resource_type, logical_id, for_update=True)
            if current is None:
                raise ResourceNotFound(f"{resource_type}/{logical_id} is not known")
            if current.deleted:
                self.authorize_read(current)
                return None
            self.version_check(current, if_match)
            plan = self.deletion_plan(current)
            self.plans_apply([plan])
        stored = plan.stored()
        self.gate.record(action="delete", resources=[stored])
        return stored

    def load(self, resources: Sequence[Any]) -> list[LoadOutcome]:
        """Create or update each resource under its own id (bulk loading); bad ones are reported, not stored."""
        outcomes: list[LoadOutcome] = []
        valid: list[tuple[int, dict[str, Any]]] = []
        for index, resource in enumerate(resources):
            try:
                checked = resource_validate(resource)
                if not checked.get("id"):
                    raise InvalidResource("A loaded resource needs an id", issues=[Issue("required", "id missing")])
                logical_id_check(str(checked["id"]))
                valid.append((index, checked))
            except StoreError as exc:
                outcomes.append(LoadOutcome(index=index, error=exc))
        try:
            with transaction.atomic():
                stored = self._upsert_many(valid)
            outcomes.extend(LoadOutcome(index=i, stored=s) for (i, _), s in zip(valid, stored, strict=True))
        except (StoreError, IntegrityError):
            # Find the culprits one by one; the rest still load.
            for index, resource in valid:
                try:
                    with transaction.atomic():
                        (one,) = self._upsert_many([(index, resource)])
                    outcomes.append(LoadOutcome(index=index, stored=one))
                except StoreError as exc:
                    outcomes.append(LoadOutcome(index=index, error=exc))
                except IntegrityError as exc:
                    outcomes.append(
                        LoadOutcome(index=index, error=ResourceConflict(f"Conflicts with stored data: {exc}"))
                    )
        self.gate.record(action="create", resources=[o.stored for o in outcomes if o.stored is not None])
        return sorted(outcomes, key=lambda o: o.index)

    def _upsert_many(self, items: Sequence[tuple[int, dict[str, Any]]]) -> list[StoredResource]:
        keys = [(r["resourceType"], r["id"]) for _, r in items]
        if len(set(keys)) != len(keys):
            raise ResourceConflict("The same resource appears twice in one load batch")
        currents = repository.current_get_many(keys, for_update=True)
        plans = []
        for _, resource in items:
            current = currents.get((resource["resourceType"], resource["id"]))
            action = "update" if current is not None else "create"
            plans.append(
                self.write_plan(resource, logical_id=resource["id"], current=current, method="PUT", action=action)
            )
        self.plans_apply(plans)
        return [plan.stored() for plan in plans]

    # -- search --------------------------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchOutcome:
        """A search (type, system or compartment level); every resource it reads passes the gate's restriction."""
        from kaari.fhir.search import service

        for resource_type in request.resource_types:
            resource_type_check(resource_type)
        return service.search_perform(self.gate, request)

    def everything(self, patient_id: str, request: SearchRequest) -> SearchOutcome:
        """Patient/{id}/$everything."""
        from kaari.fhir.search import service

        self.read("Patient", patient_id)
        return service.everything_perform(self.gate, patient_id, request)

    def match(self, resource_type: str, criteria: str, *, base_url: str | None = None) -> StoredResource | None:
        """The one resource a conditional interaction's criteria match; MultipleMatches (412) for more."""
        from kaari.fhir.search import service

        resource_type_check(resource_type)
        return service.conditional_match(self.gate, resource_type, criteria, base_url=base_url)

    def conditional_create(self, resource: Any, *, expected_type: str, if_none_exist: str) -> WriteResult:
        with transaction.atomic():
            existing = self.match(expected_type, if_none_exist)
            if existing is not None:
                return WriteResult(stored=existing, matched_existing=True)
            return self.create(resource, expected_type=expected_type)

    def conditional_update(
        self, resource_type: str, criteria: str, resource: Any, *, if_match: int | None = None
    ) -> WriteResult:
        with transaction.atomic():
            existing = self.match(resource_type, criteria)
            if existing is None:
                if isinstance(resource, dict) and resource.get("id"):
                    return self.update(resource_type, str(resource["id"]), resource, if_match=if_match)
                return self.create(resource, expected_type=resource_type)
            if isinstance(resource, dict) and resource.get("id") not in (None, existing.id):
                raise InvalidRequest(f"The resource id does not match the one {resource_type}?{criteria} found")
            if isinstance(resource, dict) and "id" not in resource:
                resource = {**resource, "id": existing.id}
            return self.update(resource_type, existing.id, resource, if_match=if_match)

    def conditional_delete(self, resource_type: str, criteria: str) -> StoredResource | None:
        with transaction.atomic():
            existing = self.match(resource_type, criteria)
            return None if existing is None else self.delete(resource_type, existing.id)

    # -- bundles -------------------------------------------------------------------------------------------

    def transaction(self, bundle: Any, *, base_url: str, prefer: str = "minimal") -> dict[str, Any]:
        """Process a transaction Bundle atomically; the transaction-response Bundle."""
        from kaari.fhir.store import bundles

        processor = bundles.TransactionProcessor(self, read_entry=lambda r: bundles.instance_read(self, r, base_url))
        requests, results = processor.process(bundle)
        return bundles.response_bundle("transaction", requests, results, base_url=base_url, prefer=prefer)

    def batch(self, bundle: Any, *, base_url: str, prefer: str = "minimal") -> dict[str, Any]:
        """Process each entry of a batch Bundle on its own; the batch-response Bundle."""
        from kaari.fhir.store import bundles

        requests, results = bundles.batch_process(self, bundle, lambda r: bundles.instance_read(self, r, base_url))
        return bundles.response_bundle("batch", requests, results, base_url=base_url, prefer=prefer)

    # -- the write pipeline --------------------------------------------------------------------------------

    @staticmethod
    def version_check(current: StoredResource | None, if_match: int | None) -> None:
        if if_match is None:
            return
        if current is None or current.deleted:
            raise VersionConflict(f'If-Match W/"{if_match}" given, but the resource does not exist')
        if current.version_id != if_match:
            raise VersionConflict(
                f'If-Match W/"{if_match}" does not match the current version W/"{current.version_id}"'
            )

    def write_plan(
        self,
        resource: dict[str, Any],
        *,
        logical_id: str,
        current: StoredResource | None,
        method: str,
        action: str,
    ) -> WritePlan:
        resource_type = resource["resourceType"]
        if current is not None and not current.deleted:
            self.authorize_read(current)
        patient = indexing.compartment_of(resource)
        labels = self.gate.authorize_write(
            action=action, resource_type=resource_type, resource=resource, current=current, compartment=patient
        )
        moment = _now()
        if current is not None and moment <= current.last_updated:
            moment = current.last_updated + timedelta(milliseconds=1)
        version = current.version_id + 1 if current is not None else 1
        meta = {k: v for k, v in (resource.get("meta") or {}).items() if k not in ("versionId", "lastUpdated")}
        meta = _meta_with_labels(meta, labels)
        body: dict[str, Any] = {
            "resourceType": resource_type,
            "id": logical_id,
            "meta": {"versionId": str(version), "lastUpdated": instant_format(moment), **meta},
        }
        for key, value in resource.items():
            if key not in body:
                body[key] = value
        stored_labels = labels_of(body)
        # The body differs from `resource` only in id and meta: of the compartments, only a Patient's own
        # depends on those.
        compartment = indexing.compartment_of(body) if resource_type == "Patient" else patient
        return WritePlan(
            resource_type=resource_type,
            logical_id=logical_id,
            version_id=version,
            last_updated=moment,
            deleted=False,
            body=json_dumps(body),
            method=method,
            compartment=compartment,
            register=stored_labels.register,
            keeper=stored_labels.keeper,
            pk=current.pk if current is not None else None,
            index_rows=indexing.index_rows(body),
            identities=_hetu_identities(body),
        )

    def deletion_plan(self, current: StoredResource) -> WritePlan:
        self.authorize_read(current)
        self.gate.authorize_write(
            action="delete", resource_type=current.resource_type, resource=None, current=current, compartment=None
        )
        moment = max(_now(), current.last_updated + timedelta(milliseconds=1))
        return WritePlan(
            resource_type=current.resource_type,
            logical_id=current.id,
            version_id=current.version_id + 1,
            last_updated=moment,
            deleted=True,
            body=b"",
            method="DELETE",
            compartment=current.compartment,
            register=current.register,
            keeper=current.keeper,
            pk=current.pk,
        )

    def plans_apply(self, plans: Sequence[WritePlan]) -> None:
        identities = [identity for plan in plans for identity in plan.identities]
        if identities:
            self._identities_check(plans, identities)
        try:
            with transaction.atomic():
                repository.writes_apply(plans, indexing.index_tables())
                observers.writes_notify([_written(plan) for plan in plans])
        except IntegrityError as exc:
            raise ResourceConflict(f"The write conflicts with stored data: {exc}") from exc

    @staticmethod
    def _identities_check(plans: Sequence[WritePlan], identities: Iterable[tuple[str, str]]) -> None:
        seen: dict[tuple[str, str], str] = {}
        for plan in plans:
            for identity in plan.identities:
                if identity in seen and seen[identity] != plan.logical_id:
                    raise ResourceConflict(f"Two Patients in one request share the identity code {identity[1]}")
                seen[identity] = plan.logical_id
        owners = repository.identity_owners(identities)
        own_pks = {plan.pk for plan in plans}
        for identity, owner in owners.items():
            if owner not in own_pks:
                raise ResourceConflict(
                    f"Another Patient already has the personal identity code {identity[1]}",
                    issues=[
                        Issue("duplicate", "Personal identity code already in use", expression="Patient.identifier")
                    ],
                )


def _written(plan: WritePlan) -> observers.Written:
    assert plan.pk is not None
    return observers.Written(
        resource_type=plan.resource_type,
        id=plan.logical_id,
        version_id=plan.version_id,
        deleted=plan.deleted,
        body=plan.body,
        compartment=plan.compartment,
        register=plan.register,
        keeper=plan.keeper,
    )
