"""Reading a rendered prefetch query from Kaari's own store, through the caller's gate.

An instance read (`Patient/1`) is `Store.read`; a search (`Observation?patient=1&code=...&_sort=-date`) runs as
written through `Store.search`, `_include`s and all, so what the service sees is exactly what the template asks
for and the caller may see. Resources are disclosed as the gate allows (e.g. a protected address removed).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from kaari.cds.errors import CdsAccessDenied, DataUnavailable
from kaari.cds.prefetch import PrefetchRead
from kaari.fhir.search.service import SearchRequest
from kaari.fhir.store import AccessDenied, ResourceGone, ResourceNotFound, Store, StoredResource, StoreError


def _searchset(matches: list[dict[str, Any]], included: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(matches),
        "entry": [{"resource": r, "search": {"mode": "match"}} for r in matches]
        + [{"resource": r, "search": {"mode": "include"}} for r in included],
    }


def store_reader(*, store: Store, patient_id: str) -> PrefetchRead:
    """Reads for one call. The first read of the patient's data reads the Patient itself: a caller whose access
    does not cover the patient gets 403, rather than cards computed from a silently filtered chart."""
    patient_read: list[dict[str, Any]] = []

    def disclosed(stored: StoredResource) -> dict[str, Any]:
        return store.gate.disclose(stored.resource) if store.gate.needs_redaction(stored) else stored.resource

    def patient() -> dict[str, Any]:
        if not patient_read:
            try:
                patient_read.append(disclosed(store.read("Patient", patient_id)))
            except (ResourceNotFound, ResourceGone) as exc:
                raise DataUnavailable(f"Patient/{patient_id} is not in Kaari's store") from exc
        return patient_read[0]

    def read(query: str) -> dict[str, Any] | None:
        path, _, query_string = query.partition("?")
        try:
            if path == f"Patient/{patient_id}" and not query_string:
                return patient()
            patient()
            if not query_string and path.count("/") == 1:
                resource_type, resource_id = path.split("/")
                try:
                    return disclosed(store.read(resource_type, resource_id))
                except (ResourceNotFound, ResourceGone):
                    return None
            params = tuple(parse_qsl(query_string, keep_blank_values=True))
            if dict(params).get("patient") != patient_id and dict(params).get("subject") != f"Patient/{patient_id}":
                raise DataUnavailable(f"prefetch query {query!r} is not about the context patient")
            outcome = store.search(SearchRequest(resource_types=(path,), params=params))
            return _searchset(
                [disclosed(s) for s in outcome.result.matches], [disclosed(s) for s in outcome.result.included]
            )
        except AccessDenied as exc:
            raise CdsAccessDenied(f"Your access does not cover this patient's data: {exc.message}") from exc
        except StoreError as exc:
            raise DataUnavailable(f"Kaari could not read {query!r}: {exc.message}") from exc

    return read
