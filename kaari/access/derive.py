"""The store write observer that keeps the access app's derived tables in step with the store.

It runs inside the store's write transaction for every write, whatever the gate: a relationship, consent or
release delay exists exactly when the resource that says so is stored. `kaari access rebuild` recreates the
tables from the store with the same functions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import models

from kaari.access import relationships
from kaari.access.models import (
    CareRelationship,
    ConsentRule,
    GuardianRestriction,
    Guardianship,
    Person,
    ReleaseDelay,
)
from kaari.fhir.store.observers import Written

_MARKERS = (b"ReleaseDateForPatientViewing", b"RestrictionParent")
# Types whose rows depend on the type alone; any type may carry the fi-base extensions.
_TYPED_TABLES: dict[str, tuple[type[models.Model], ...]] = {
    **dict.fromkeys(relationships.RELATIONSHIP_TYPES, (CareRelationship,)),
    "Consent": (ConsentRule,),
    "Patient": (Person,),
    "RelatedPerson": (Guardianship,),
}
_MARKED_TABLES: tuple[type[models.Model], ...] = (ReleaseDelay, GuardianRestriction)


def derived_tables_update(written: Sequence[Written]) -> None:
    """Replace the derived rows of every written resource with what its new version says."""
    stale: dict[type[models.Model], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    fresh: dict[type[models.Model], list[models.Model]] = defaultdict(list)
    for item in written:
        typed = _TYPED_TABLES.get(item.resource_type, ())
        # A first version has no earlier rows to replace; most bulk-loaded resources are first versions.
        if item.version_id > 1:
            for table in (*typed, *_MARKED_TABLES):
                stale[table][item.resource_type].append(item.id)
        relevant = typed or any(marker in item.body for marker in _MARKERS)
        if relevant and item.resource is not None:
            for table, row in rows_derive(item.resource, compartment=item.compartment):
                fresh[table].append(row)
    for table, by_type in stale.items():
        for source_type, ids in by_type.items():
            for start in range(0, len(ids), 500):
                table._default_manager.filter(source_type=source_type, source_id__in=ids[start : start + 500]).delete()
    for table, rows in fresh.items():
        table._default_manager.bulk_create(rows, batch_size=500)


def rows_derive(resource: dict[str, Any], *, compartment: str | None) -> list[tuple[type[models.Model], models.Model]]:
    """Every derived row one resource implies, unsaved, with its source columns set."""
    source = {"source_type": str(resource.get("resourceType")), "source_id": str(resource.get("id"))}
    rows: list[tuple[type[models.Model], models.Model]] = []
    for rel in relationships.relationships_of(resource):
        relationship = CareRelationship(
            patient_id=rel.patient_id,
            organization_id=rel.organization_id,
            practitioner_id=rel.practitioner_id,
            starts=rel.starts,
            ends=rel.ends,
            **source,
        )
        rows.append((CareRelationship, relationship))
    for rule in relationships.consent_rules_of(resource):
        consent = ConsentRule(
            patient_id=rule.patient_id,
            kind=rule.kind,
            register=rule.register,
            organization_id=rule.organization_id,
            starts=rule.starts,
            ends=rule.ends,
            **source,
        )
        rows.append((ConsentRule, consent))
    person = relationships.person_of(resource)
    if person is not None:
        rows.append(
            (Person, Person(patient_id=str(resource.get("id")), hetu=person[0], birth_date=person[1], **source))
        )
    guardianship = relationships.guardianship_of(resource)
    if guardianship is not None:
        minor, hetu, ends = guardianship
        rows.append((Guardianship, Guardianship(minor_patient_id=minor, guardian_hetu=hetu, ends=ends, **source)))
    body_has_markers = any(marker.decode() in str(resource.get("extension", "")) for marker in _MARKERS)
    if body_has_markers:
        for target_type, target_id, release_on in relationships.release_delays_of(resource):
            delay = ReleaseDelay(resource_type=target_type, logical_id=target_id, release_on=release_on, **source)
            rows.append((ReleaseDelay, delay))
        for patient, target_type, target_id in relationships.guardian_restrictions_of(resource, compartment):
            restriction = GuardianRestriction(
                patient_id=patient, resource_type=target_type, logical_id=target_id, **source
            )
            rows.append((GuardianRestriction, restriction))
    return rows
