from django.apps import AppConfig


class AccessConfig(AppConfig):
    """Who may see what: identities, roles, care relationships, registers, consents, and the access log."""

    name = "kaari.access"
    label = "access"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kaari.access.derive import derived_tables_update
        from kaari.fhir.store.observers import write_observer_register

        write_observer_register(derived_tables_update)
