"""Kaari: an open regional social and health care information system on FHIR R4."""

__version__ = "0.1.0"
