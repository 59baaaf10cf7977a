"""Reading a rendered prefetch query from Kaari's own store, through the caller's gate.

An instance read (`Patient/1`) is `Store.read`. A search (`Observation?patient=1&...`) reads the current
resources of that type in the patient's compartment (`Store.compartment_current`); the other criteria of the
template (status, code, sort, count) are not applied here, because each rule context applies the same criteria
itself (active orders, eGFR codes, result statuses). Compartment search (`Store.search`) replaces this once it is
on main, and then the templates run as written.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from kaari.cds.errors import CdsAccessDenied, DataUnavailable
from kaari.cds.prefetch import PrefetchRead
from kaari.fhir.store import AccessDenied, ResourceGone, ResourceNotFound, Store, StoreError


def _searchset(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(resources),
        "entry": [{"resource": r, "search": {"mode": "match"}} for r in resources],
    }


def store_reader(*, store: Store, patient_id: str) -> PrefetchRead:
    """Reads for one call. The first read of the patient's data reads the Patient itself: a caller whose access
    does not cover the patient gets 403, rather than cards computed from a silently filtered chart."""
    patient_read: list[dict[str, Any]] = []

    def patient() -> dict[str, Any]:
        if not patient_read:
            try:
                patient_read.append(store.read("Patient", patient_id).resource)
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
                    return store.read(resource_type, resource_id).resource
                except (ResourceNotFound, ResourceGone):
                    return None
            params = dict(parse_qsl(query_string))
            if params.get("patient") != patient_id and params.get("subject") != f"Patient/{patient_id}":
                raise DataUnavailable(f"prefetch query {query!r} is not about the context patient")
            found = store.compartment_current(patient_id, [path])
            return _searchset([stored.resource for stored in found])
        except AccessDenied as exc:
            raise CdsAccessDenied(f"Your access does not cover this patient's data: {exc.message}") from exc
        except StoreError as exc:
            raise DataUnavailable(f"Kaari could not read {query!r}: {exc.message}") from exc

    return read
