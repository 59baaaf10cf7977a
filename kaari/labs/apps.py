from django.apps import AppConfig


class LabsConfig(AppConfig):
    """Laboratory: the test catalogue, duplicate-test warnings and HL7 v2 result intake."""

    name = "kaari.labs"
    label = "labs"
    default_auto_field = "django.db.models.BigAutoField"
