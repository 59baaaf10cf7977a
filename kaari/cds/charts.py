"""Grouping a stream of FHIR resources into one chart per patient, for replaying history through the rules."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import Any


def patient_of(resource: dict[str, Any]) -> str | None:
    """ "Patient/<id>" for a Patient or a resource with a subject or patient reference to one."""
    if resource.get("resourceType") == "Patient":
        return f"Patient/{resource.get('id')}"
    for key in ("subject", "patient"):
        reference = (resource.get(key) or {}).get("reference")
        if isinstance(reference, str) and reference.startswith("Patient/"):
            return reference
    return None


def charts_group(resources: Iterable[dict[str, Any]], *, kinds: Collection[str]) -> Iterator[list[dict[str, Any]]]:
    """Each patient's resources of these kinds, the Patient first. The stream must give each patient's resources
    after their Patient and before the next Patient (as `kaari.synth.region_generate` does)."""
    charts: dict[str, list[dict[str, Any]]] = {}
    for resource in resources:
        if resource.get("resourceType") == "Patient" and charts:
            yield from charts.values()
            charts = {}
        patient = patient_of(resource)
        if patient and resource.get("resourceType") in {"Patient", *kinds}:
            charts.setdefault(patient, []).append(resource)
    yield from charts.values()
