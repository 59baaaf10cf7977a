"""Index entries for one resource, computed inside the store's write transaction.

`index_rows` evaluates every supported search parameter of the resource's type and returns the rows for
each index table; `patient_compartments` says whose Patient compartments hold the resource.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from kaari.fhir.search.fhirpath import Evaluator, Node, Typed
from kaari.fhir.search.registry import SearchParameter, resource_parameters
from kaari.fhir.search.types import SEARCH_TYPES
from kaari.fhir.search.types.base import Rows
from kaari.fhir.search.types.reference import reference_parse
from kaari.fhir.spec import patient_compartment_params

# Each index table's columns, in the order of the tuples index_rows returns. The store adds
# resource_id, resource_type and compartment to every row.
INDEX_TABLES: dict[str, tuple[str, ...]] = {t.table: t.columns for t in SEARCH_TYPES.values() if t.table}


IndexStep = tuple[Evaluator, Callable[[SearchParameter, int, list[Node], Rows, dict[str, Any]], None], SearchParameter]


@cache
def _index_plan(resource_type: str) -> tuple[tuple[IndexStep, ...], Typed]:
    """Per indexed parameter: its evaluator, its type's row builder, and the parameter."""
    parameters = resource_parameters(resource_type).supported.values()
    steps = tuple((p.evaluator, p.type.rows, p) for p in parameters if p.indexed and p.evaluator is not None)
    return steps, Typed(resource_type, resource_type, "")


def index_rows(resource: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    """The search-index rows of `resource`: table name → rows of that table's INDEX_TABLES columns."""
    plan, root_type = _index_plan(resource["resourceType"])
    out: dict[str, list[tuple[Any, ...]]] = {table: [] for table in INDEX_TABLES}
    root = [(resource, root_type)]
    for evaluate, rows, parameter in plan:
        nodes = evaluate(root, resource)
        if nodes:
            rows(parameter, 0, nodes, out, resource)
    # A value can be reached twice (`name | name.family`); identical rows would only inflate counts.
    return {table: list(dict.fromkeys(rows)) for table, rows in out.items() if rows}


@cache
def _compartment_plan(resource_type: str) -> tuple[tuple[Evaluator, ...], Typed]:
    """The evaluators of the type's Patient compartment parameters."""
    supported = resource_parameters(resource_type).supported
    codes = patient_compartment_params().get(resource_type, ())
    parameters = (supported[code] for code in codes if code in supported)
    evaluators = []
    for parameter in parameters:
        assert parameter.evaluator is not None
        evaluators.append(parameter.evaluator)
    return tuple(evaluators), Typed(resource_type, resource_type, "")


def patient_compartments(resource: dict[str, Any]) -> list[str]:
    """Logical ids of the Patients whose compartment holds `resource`, per the R4 CompartmentDefinition.

    A Patient is in its own compartment first. Only local references (`Patient/1`) count.
    """
    resource_type = resource["resourceType"]
    found: list[str] = []
    if resource_type == "Patient" and resource.get("id"):
        found.append(resource["id"])
    plan, root_type = _compartment_plan(resource_type)
    root = [(resource, root_type)]
    for evaluate in plan:
        for value, typed in evaluate(root, resource):
            if typed.code != "Reference" or not isinstance(value.get("reference"), str):
                continue
            target = reference_parse(value["reference"])
            if target.target_type == "Patient" and not target.url and target.target_id not in found:
                found.append(target.target_id)
    return found
