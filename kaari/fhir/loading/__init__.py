"""Loading FHIR data files through the store API: transaction Bundles (.json) and NDJSON (.ndjson)."""

from kaari.fhir.loading.loader import (
    LoadProblem,
    LoadReport,
    default_jobs,
    files_collect,
    files_load,
    loader_store,
    resources_load,
)

__all__ = [
    "LoadProblem",
    "LoadReport",
    "default_jobs",
    "files_collect",
    "files_load",
    "loader_store",
    "resources_load",
]
