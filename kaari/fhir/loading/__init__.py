"""Loading FHIR data files through the store API: transaction Bundles (.json) and NDJSON (.ndjson)."""

from kaari.fhir.loading.loader import LoadProblem, LoadReport, files_collect, files_load, resources_load

__all__ = ["LoadProblem", "LoadReport", "files_collect", "files_load", "resources_load"]
