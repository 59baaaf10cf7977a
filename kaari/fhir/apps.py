from django.apps import AppConfig


class FhirConfig(AppConfig):
    """The FHIR R4 resource store, its search, and its REST API."""

    name = "kaari.fhir"
    label = "fhir"
