from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccessConfig(AppConfig):
    """Who may see what: identities, roles, care relationships, registers, consents, and the access log."""

    name = "kaari.access"
    label = "access"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kaari.access.derive import derived_tables_update
        from kaari.fhir.store.observers import write_observer_register

        write_observer_register(derived_tables_update)
        post_migrate.connect(_rule_functions_create, sender=self)


def _rule_functions_create(using: str = "default", **kwargs: Any) -> None:
    """On PostgreSQL the access rules also live in functions (kaari.access.policy); keep them in step with the code."""
    from django.db import connections

    from kaari.access.policy import postgres_functions_sql

    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for statement in postgres_functions_sql():
            cursor.execute(statement)
