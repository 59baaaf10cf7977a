"""Recreate the derived tables from the store, with the same derivation the write observer uses."""

from __future__ import annotations

from django.db import transaction

from kaari.access.derive import _MARKED_TABLES, _TYPED_TABLES, derived_tables_update
from kaari.access.services import system_store
from kaari.fhir import spec
from kaari.fhir.store.observers import Written


@transaction.atomic
def derived_tables_rebuild() -> dict[str, int]:
    """Empty every derived table and derive it again from every current resource; the row counts."""
    tables = {*(t for group in _TYPED_TABLES.values() for t in group), *_MARKED_TABLES}
    for table in tables:
        table._default_manager.all().delete()
    store = system_store("access rebuild")
    # Any type may carry a release delay or a guardian restriction, so every type is read.
    for page in store.export(sorted(spec.resource_types())):
        derived_tables_update(
            [
                Written(
                    resource_type=s.resource_type,
                    id=s.id,
                    version_id=s.version_id,
                    deleted=s.deleted,
                    body=s.body,
                    compartment=s.compartment,
                    register=s.register,
                    keeper=s.keeper,
                )
                for s in page
            ]
        )
    return {
        table._meta.db_table: table._default_manager.count() for table in sorted(tables, key=lambda t: t._meta.db_table)
    }
