"""Reads for the laboratory screens, all through the signed-in user's gated store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from kaari.access.gate import AccessGate
from kaari.fhir.search.service import SearchRequest
from kaari.fhir.store import ResourceGone, ResourceNotFound, Store, StoredResource
from kaari.labs.catalogue import Catalogue, LabTest, Orderable, orderables_all
from kaari.labs.knowledge import lab_knowledge
from kaari.labs.ordering.charts import TrendChart, trend_chart
from kaari.labs.ordering.client import ClientHeader, client_header
from kaari.labs.ordering.orders import OrderRow, orders_tracked
from kaari.labs.ordering.results import AnalyteResults, ResultRow, is_lab_result, results_by_analyte

if TYPE_CHECKING:
    from kaari.labs.ordering.services import DraftWarning

SEARCH_LIMIT = 15


class ClientNotFound(Exception):
    pass


@dataclass(frozen=True)
class TestResults:
    group: AnalyteResults
    chart: TrendChart | None


@dataclass(frozen=True)
class LabOverview:
    client: ClientHeader
    tests: list[TestResults]
    orders: list[OrderRow]
    drafts: list[OrderRow]

    @property
    def pending(self) -> list[OrderRow]:
        return [o for o in self.orders if o.pending]

    @property
    def placed(self) -> list[OrderRow]:
        return [o for o in self.orders if o.stage != "draft"]


def _disclosed(store: Store, stored: StoredResource) -> dict[str, Any]:
    return store.gate.disclose(stored.resource) if store.gate.needs_redaction(stored) else stored.resource


def _search(store: Store, resource_type: str, params: tuple[tuple[str, str], ...]) -> list[dict[str, Any]]:
    outcome = store.search(SearchRequest(resource_types=(resource_type,), params=params))
    return [_disclosed(store, s) for s in [*outcome.result.matches, *outcome.result.included]]


def client_read(*, store: Store, patient_id: str) -> ClientHeader:
    """The client's name, age and identity code; AccessDenied when the user may not see them."""
    try:
        patient = _disclosed(store, store.read("Patient", patient_id))
    except (ResourceNotFound, ResourceGone) as exc:
        raise ClientNotFound(patient_id) from exc
    return client_header(patient, today=timezone.localdate())


def requester_reference(store: Store) -> str:
    """The signed-in professional's PractitionerRole: who requests what they order."""
    gate = store.gate
    if not isinstance(gate, AccessGate) or not gate.principal.practitioner_role_id:
        return ""
    return f"PractitionerRole/{gate.principal.practitioner_role_id}"


def lab_overview_get(*, store: Store, patient_id: str, language: str) -> LabOverview:
    client = client_read(store=store, patient_id=patient_id)
    catalogue = lab_knowledge().catalogue
    observations = [
        o
        for o in _search(store, "Observation", (("patient", patient_id), ("_sort", "-date"), ("_count", "1000")))
        if is_lab_result(o, catalogue)
    ]
    requests = _search(
        store,
        "ServiceRequest",
        (("patient", patient_id), ("_count", "500"), ("_include", "ServiceRequest:requester")),
    )
    reports = _search(store, "DiagnosticReport", (("patient", patient_id), ("_sort", "-date"), ("_count", "500")))
    orders = [r for r in requests if r.get("resourceType") == "ServiceRequest" and _is_lab_order(r, catalogue)]
    tracked = orders_tracked(
        orders,
        reports=reports,
        observations=observations,
        catalogue=catalogue,
        names=_requester_names(store, [r for r in requests if r.get("resourceType") == "PractitionerRole"]),
    )
    mine = {o["id"] for o in orders if (o.get("requester") or {}).get("reference") == requester_reference(store)}
    groups = results_by_analyte(observations, catalogue=catalogue, language=language)
    return LabOverview(
        client=client,
        tests=[TestResults(group=g, chart=trend_chart(group=g)) for g in groups],
        orders=[o for o in tracked if o.stage != "draft"],
        drafts=[o for o in tracked if o.stage == "draft" and o.order_id in mine],
    )


def _is_lab_order(order: dict[str, Any], catalogue: Catalogue) -> bool:
    for category in order.get("category") or []:
        if any(c.get("code") in ("108252007", "laboratory") for c in category.get("coding") or []):
            return True
    return bool(catalogue.analytes_of_concept(order.get("code")))


def _requester_names(store: Store, roles: list[dict[str, Any]]) -> dict[str, str]:
    """PractitionerRole -> its unit's name (Organizations are directory data, not a client's)."""
    names: dict[str, str] = {}
    for role in roles:
        organization = (role.get("organization") or {}).get("reference") or ""
        name = (role.get("organization") or {}).get("display") or ""
        if not name and organization.startswith("Organization/"):
            try:
                name = store.read("Organization", organization.removeprefix("Organization/")).resource.get("name")
            except (ResourceNotFound, ResourceGone):
                name = ""
        if name:
            names[f"PractitionerRole/{role.get('id')}"] = str(name)
    return names


def catalogue_search(*, query: str) -> list[Orderable]:
    """Orderable tests and panels by Finnish name, national abbreviation (`B -HbA1c`) or LOINC code."""
    wanted = query.strip()
    if not wanted:
        return []
    catalogue = lab_knowledge().catalogue
    folded, compact = wanted.casefold(), _normalise_abbreviation(wanted)
    ranked: list[tuple[int, str, Orderable]] = []
    for orderable in orderables_all(catalogue):
        if isinstance(orderable, LabTest) and not orderable.orderable:
            continue
        abbreviation = _normalise_abbreviation(orderable.abbreviation)
        codes = _loinc_codes(orderable)
        if abbreviation == compact or wanted in codes:
            rank = 0
        elif abbreviation.startswith(compact) or abbreviation.split("-", 1)[-1].startswith(compact):
            rank = 1
        elif compact in abbreviation or folded in orderable.name_fi.casefold():
            rank = 2
        elif any(code.startswith(wanted) for code in codes):
            rank = 3
        else:
            continue
        ranked.append((rank, orderable.abbreviation, orderable))
    return [o for _, _, o in sorted(ranked, key=lambda item: item[:2])][:SEARCH_LIMIT]


def orderable_get(*, orderable_id: str) -> Orderable | None:
    catalogue = lab_knowledge().catalogue
    found = catalogue.tests.get(orderable_id) or catalogue.panels.get(orderable_id)
    if found is None or (isinstance(found, LabTest) and not found.orderable):
        return None
    return found


def _normalise_abbreviation(text: str) -> str:
    # As the catalogue compares them: "fP -Kol-LDL", "fp-kol-ldl" and "FP - KOL-LDL" are one abbreviation.
    return "".join(text.split()).casefold()


def _loinc_codes(orderable: Orderable) -> list[str]:
    codes = orderable.loinc if isinstance(orderable.loinc, list) else [orderable.loinc] if orderable.loinc else []
    return [str(c) for c in codes]


@dataclass(frozen=True)
class ExplainedWarning:
    """A held draft's warnings with what the page knows of the earlier result or order, in the user's language."""

    warning: DraftWarning
    earlier: list[tuple[str, ResultRow]]
    pending: list[OrderRow]


def warnings_explain(*, overview: LabOverview, warnings: Sequence[DraftWarning]) -> list[ExplainedWarning]:
    catalogue = lab_knowledge().catalogue
    explained = []
    for warning in warnings:
        analytes = catalogue.analytes_of_concept(warning.code)
        earlier = [
            (t.group.label, t.group.latest)
            for t in overview.tests
            if t.group.key.removeprefix("analyte:") in analytes and t.group.latest.moment is not None
        ]
        pending = [o for o in overview.pending if o.analytes & analytes and o.order_id != warning.order_id]
        explained.append(ExplainedWarning(warning=warning, earlier=earlier, pending=pending))
    return explained
