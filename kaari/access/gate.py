"""`AccessGate`: the store's gate for every real actor. Decides, labels, redacts and logs.

Used with a scope (one request or page view), it gathers everything into one log entry that the caller
writes before answering (`scope_close`). Used without one (CDS services, commands), every store operation
and every denial writes its own entry at once, so no code path reaches client data unlogged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from kaari.access import conf, decisions, policy
from kaari.access.audit.log import AccessScope, entry_write
from kaari.access.principal import Principal, turvakielto_exempt
from kaari.access.redaction import has_turvakielto, may_have_turvakielto, turvakielto_redact
from kaari.access.registers import labels_for_system, type_register
from kaari.access.scopes import READ, WRITE
from kaari.fhir.store import AccessDenied, Labels, SqlRestriction, StoredResource

Denier = Callable[[str], NoReturn]

# Types that open a care relationship when a professional creates one in their own unit.
OPENING_REFERENCES = {"Encounter": "serviceProvider", "EpisodeOfCare": "managingOrganization"}


_ROW_GENERATION = SqlRestriction(decisions.ROW_GENERATION)


class AccessGate:
    __slots__ = ("principal", "scope", "_basis", "_call", "_row_bases", "_patient_bases")

    def __init__(self, principal: Principal, *, scope: AccessScope | None = None) -> None:
        self.principal = principal
        self.scope = scope
        call = policy.actor_call(principal)
        self._basis = call.sql if call is not None else policy.basis_expression(principal)
        # A professional on PostgreSQL: decisions cached per client (kaari.access.decisions).
        self._call = call if call is not None and call.facts is not None else None
        # The basis of each resource this gate let the actor read, by type and id: a version's row (vread,
        # history) has a key of its own table, and takes the basis its resource was read on.
        self._row_bases: dict[tuple[str, str], str] = {}
        self._patient_bases: dict[str, str] = {}

    # -- the log ---------------------------------------------------------------------------------------------

    def _scope(self, action: str) -> AccessScope:
        if self.scope is not None:
            if not self.scope.action:
                self.scope.action = action
            return self.scope
        return AccessScope(principal=self.principal, action=action)

    def _flush(self, scope: AccessScope) -> None:
        if scope is not self.scope:
            entry_write(scope)

    def scope_close(self, *, status: int) -> None:
        """End the request: write its entry if it touched client data (or was refused access to it)."""
        if self.scope is not None and self.scope.touched and not self.scope.written:
            self.scope.status_apply(status)
            entry_write(self.scope)

    def record(self, *, action: str, resources: list[StoredResource], query: str | None = None) -> None:
        scope = self._scope(action)
        scope.operations.append(action)
        row_bases, patient_bases = self._row_bases, self._patient_bases
        entities = scope.entities
        for stored in resources:  # one loop over plain dicts: a read's one row costs little more than this
            patient = stored.compartment
            if patient:
                basis = row_bases.get((stored.resource_type, stored.id)) or patient_bases.get(patient)
                if basis is None:
                    basis = self._patient_bases_fetch(resources, patient)
            else:
                basis = "system" if self.principal.is_system else "non-client"
            entities.append(
                {
                    "what": f"{stored.resource_type}/{stored.id}/_history/{stored.version_id}",
                    "action": action,
                    "patient": patient,
                    "register": stored.register,
                    "keeper": stored.keeper,
                    "basis": basis,
                }
            )
        if query:
            scope.queries.append(query)
        self._flush(scope)

    def _patient_bases_fetch(self, resources: list[StoredResource], patient: str) -> str:
        """The log's basis for this client, fetched with that of every other client of these rows not known yet,
        in one query ('' for a client the actor has no basis for)."""
        row_bases, patient_bases = self._row_bases, self._patient_bases
        missing = list(
            dict.fromkeys(
                s.compartment
                for s in resources
                if s.compartment and not row_bases.get((s.resource_type, s.id)) and s.compartment not in patient_bases
            )
        )
        patient_bases.update(dict.fromkeys(missing, ""))
        patient_bases.update(policy.patients_bases(self.principal, missing))
        return patient_bases.get(patient, "")

    def access_note(
        self, *, action: str, patient: str | None, what: str, basis: str | None = None, reason: str = ""
    ) -> None:
        """Log an access to client data that does not go through the store (the access log itself, ...)."""
        scope = self._scope(action)
        scope.operations.append(action)
        entity: dict[str, Any] = {
            "what": what,
            "action": action,
            "patient": patient,
            "basis": basis or self._own_basis(patient),
        }
        if reason:
            entity["reason"] = reason
        scope.entities.append(entity)
        self._flush(scope)

    def denial_note(self, message: str, *, patient: str | None, what: str) -> NoReturn:
        """Log a refused access that does not go through the store, and refuse it."""
        self._deny(message, action="access", patient=patient, what=what)

    def _own_basis(self, patient: str | None) -> str:
        if self.principal.is_system:
            return "system"
        if self.principal.is_resident and patient == self.principal.patient_id:
            return "own-data"
        return ""

    def _deny(self, message: str, *, action: str, patient: str | None, what: str) -> NoReturn:
        scope = self._scope(action)
        scope.denial_add(message, patient=patient, what=what)
        self._flush(scope)
        raise AccessDenied(message)

    # -- reads -----------------------------------------------------------------------------------------------

    def read_check(self, resource_type: str) -> SqlRestriction | None:
        if self._call is not None:
            return _ROW_GENERATION
        if self._basis is None:
            return None
        return SqlRestriction(self._basis.text, tuple(self._basis.params))

    def authorize_read(self, stored: StoredResource, *, basis: str | None) -> None:
        call = self._call
        if call is not None:
            # The value read is the client's generation (decisions.ROW_GENERATION); the decision is cached.
            basis = decisions.row_basis(call, stored, basis or "-") if stored.compartment else "non-client"
        principal = self.principal
        if not principal.scopes.allows(stored.resource_type, READ):
            self._deny(
                f"Your access does not cover reading {stored.resource_type}",
                action="read",
                patient=stored.compartment,
                what=f"{stored.resource_type}/{stored.id}",
            )
        if call is None and principal.is_system:
            basis = "system"
        if basis is None:
            what = f"{stored.resource_type}/{stored.id}"
            self._deny(
                f"No care relationship, consent or other basis lets you see {what}",
                action="read",
                patient=stored.compartment,
                what=what,
            )
        self._row_bases[stored.resource_type, stored.id] = basis

    def restriction(self, resource_type: str | None, *, patient: str | None = None) -> SqlRestriction | None:
        parts: list[policy.Sql] = []
        if resource_type is not None:
            if not self.principal.scopes.allows(resource_type, READ):
                return SqlRestriction("1 = 0")
        else:
            types = policy.type_filter(self.principal.scopes.types_for(READ))
            if types is not None:
                parts.append(types)
        condition: policy.Sql | None
        if self._call is not None and patient:
            condition, log_basis = decisions.search_condition(self._call, patient, resource_type)
            if log_basis is not None and not self._patient_bases.get(patient):
                self._patient_bases[patient] = log_basis
        else:
            condition = policy.filter_expression(self.principal, patient=patient)
        if condition is not None:
            parts.append(condition)
        if not parts:
            return None
        return SqlRestriction(
            " AND ".join(f"({part.text})" for part in parts), tuple(p for part in parts for p in part.params)
        )

    def _exempt_from_turvakielto(self, patient: str | None) -> bool:
        own = self.principal.is_resident and patient is not None and patient == self.principal.patient_id
        return own or turvakielto_exempt(self.principal)

    def needs_redaction(self, stored: StoredResource) -> bool:
        return may_have_turvakielto(stored.resource_type, stored.body) and not self._exempt_from_turvakielto(
            stored.compartment
        )

    def disclose(self, resource: dict[str, Any]) -> dict[str, Any]:
        if resource.get("resourceType") != "Patient" or self._exempt_from_turvakielto(str(resource.get("id"))):
            return resource
        return turvakielto_redact(resource)

    # -- writes ----------------------------------------------------------------------------------------------

    def authorize_write(
        self,
        *,
        action: str,
        resource_type: str,
        resource: dict[str, Any] | None,
        current: StoredResource | None,
        compartment: str | None,
    ) -> Labels:
        principal = self.principal
        existing = current if current is not None and not current.deleted else None
        what = f"{resource_type}/{existing.id}" if existing else resource_type
        patients = [p for p in dict.fromkeys([compartment, existing.compartment if existing else None]) if p]

        def deny(message: str) -> NoReturn:
            self._deny(message, action=action, patient=patients[0] if patients else None, what=what)

        if not principal.scopes.allows(resource_type, WRITE):
            deny(f"Your access does not cover writing {resource_type}")
        before = has_turvakielto(existing.resource) if existing else False
        after = has_turvakielto(resource) if resource is not None else before
        if before != after and not principal.is_system:
            deny("Only the population register feed may set or remove turvakielto")
        if principal.is_system:
            return labels_for_system(resource_type, resource, existing)
        if principal.is_resident:
            return self._resident_labels(resource_type, patients, existing, deny)
        return self._professional_labels(resource_type, resource, patients, existing, deny)

    def _resident_labels(
        self, resource_type: str, patients: list[str], existing: StoredResource | None, deny: Denier
    ) -> Labels:
        principal = self.principal
        if resource_type not in conf.resident_writable_types():
            deny(f"Residents do not write {resource_type} resources")
        if patients != [principal.patient_id] or not principal.patient_id:
            deny("Residents write only about themselves")
        keeper = conf.default_keeper()
        if existing is not None and existing.keeper != keeper:
            deny("Residents change only what they wrote themselves")
        for patient in patients:
            self._patient_bases[patient] = "own-data"
        return Labels(register=type_register(resource_type), keeper=keeper)

    def _professional_labels(
        self,
        resource_type: str,
        resource: dict[str, Any] | None,
        patients: list[str],
        existing: StoredResource | None,
        deny: Denier,
    ) -> Labels:
        principal = self.principal
        unit = principal.organization_id
        if not unit or not principal.register:
            deny("You are not placed in a unit, so you cannot write client data")
        if existing is not None and (
            existing.keeper != unit or (existing.register or principal.register) != principal.register
        ):
            deny(
                f"{existing.resource_type}/{existing.id} belongs to the {existing.register or 'unlabelled'} register"
                f" of {existing.keeper or 'no keeper'}; you write only into your own register and unit"
            )
        for patient in patients:
            basis = self._write_basis(resource_type, resource, patient, existing)
            if basis is None:
                deny(f"No care relationship with the client lets you write {resource_type}")
            self._patient_bases[patient] = basis
        return Labels(register=principal.register, keeper=unit)

    def _write_basis(
        self, resource_type: str, resource: dict[str, Any] | None, patient: str, existing: StoredResource | None
    ) -> str | None:
        known = policy.patients_bases(self.principal, [patient]).get(patient)
        if known is not None:
            return known
        reference_key = OPENING_REFERENCES.get(resource_type)
        if reference_key and resource is not None and existing is None:
            target = (resource.get(reference_key) or {}).get("reference", "")
            if target == f"Organization/{self.principal.organization_id}":
                return "new-relationship"
        if resource_type == "Patient" and existing is None:
            return "new-client"
        return None
