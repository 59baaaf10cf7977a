"""What the write path asks of search: index rows, their tables, and the Patient compartment.

The search package owns both the extraction and the table design; the store only writes what it is given.
"""

from __future__ import annotations

from typing import Any

from kaari.fhir.search import indexing


def index_tables() -> dict[str, tuple[str, ...]]:
    return indexing.INDEX_TABLES


def index_rows(resource: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    return indexing.index_rows(resource)


def compartment_of(resource: dict[str, Any]) -> str | None:
    """The Patient whose compartment holds the resource (the first one, if several)."""
    compartments = indexing.patient_compartments(resource)
    return compartments[0] if compartments else None
