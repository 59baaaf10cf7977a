from django.apps import AppConfig


class CdsConfig(AppConfig):
    """The CDS Hooks 2.0 runtime shared by every decision-support service: discovery, calls, feedback."""

    name = "kaari.cds"
    label = "cds"
    default_auto_field = "django.db.models.BigAutoField"
