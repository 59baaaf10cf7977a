"""The store API. Import from here; the modules behind it are the store's own business."""

from kaari.fhir.store.api import LoadOutcome, Store, resource_type_check
from kaari.fhir.store.errors import (
    AccessDenied,
    InvalidRequest,
    InvalidResource,
    Issue,
    MultipleMatches,
    NotSupported,
    ResourceConflict,
    ResourceGone,
    ResourceNotFound,
    StoreError,
    UnprocessableResource,
    VersionConflict,
)
from kaari.fhir.store.gate import Gate, Labels, SqlRestriction, TrustedGate
from kaari.fhir.store.indexing import compartment_of
from kaari.fhir.store.records import HistoryPage, StoredResource, WriteResult, instant_format

__all__ = [
    "AccessDenied",
    "Gate",
    "HistoryPage",
    "InvalidRequest",
    "InvalidResource",
    "Issue",
    "Labels",
    "LoadOutcome",
    "MultipleMatches",
    "NotSupported",
    "ResourceConflict",
    "ResourceGone",
    "ResourceNotFound",
    "SqlRestriction",
    "Store",
    "StoreError",
    "StoredResource",
    "TrustedGate",
    "UnprocessableResource",
    "VersionConflict",
    "WriteResult",
    "compartment_of",
    "instant_format",
    "resource_type_check",
]
