"""A client's laboratory orders tracked from ordered to resulted, with the reports based on them: pure, no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kaari.labs.catalogue import Catalogue
from kaari.labs.fhirtime import fhir_datetime_parse, observation_time
from kaari.labs.ordering.results import analyte_of, value_of

RESULT_STATUSES = frozenset({"preliminary", "final", "amended", "corrected"})
REPORTED_STATUSES = frozenset({"final", "amended", "corrected", "appended"})
PENDING_STATUSES = frozenset({"active", "on-hold"})
ORDER_STAGES: dict[str, Promise] = {
    "draft": _("Draft, not signed"),
    "ordered": _("Ordered, awaiting result"),
    "partial": _("Preliminary result"),
    "resulted": _("Resulted"),
    "revoked": _("Cancelled"),
    "other": _("Other status"),
}


REPORT_STATUSES: dict[str, Promise] = {
    "registered": _("registered"),
    "partial": _("partial"),
    "preliminary": _("preliminary"),
    "final": _("final"),
    "amended": _("amended"),
    "corrected": _("corrected"),
    "appended": _("appended"),
    "cancelled": _("cancelled"),
    "entered-in-error": _("entered in error"),
}


@dataclass(frozen=True)
class ReportRow:
    report_id: str
    label: str
    status: str
    issued: datetime | None
    results: tuple[str, ...]  # "B -HbA1c 48 mmol/mol"
    conclusion: str

    @property
    def status_label(self) -> str:
        return str(REPORT_STATUSES.get(self.status, self.status))


@dataclass(frozen=True)
class OrderRow:
    order_id: str
    label: str
    name: str
    status: str
    stage: str
    stage_label: str
    authored: datetime | None
    requester: str
    result_at: datetime | None
    reports: tuple[ReportRow, ...]
    analytes: frozenset[str] = frozenset()

    @property
    def pending(self) -> bool:
        return self.stage in ("ordered", "partial")


def orders_tracked(
    orders: Iterable[Mapping[str, Any]],
    *,
    reports: Iterable[Mapping[str, Any]],
    observations: Iterable[Mapping[str, Any]],
    catalogue: Catalogue,
    names: Mapping[str, str],
) -> list[OrderRow]:
    """Each order with where it stands, from ordered to resulted, and the reports based on it; newest first."""
    observation_list = list(observations)
    report_list = list(reports)
    labels = {str(o.get("id")): _observation_label(o, catalogue) for o in observation_list}
    rows = []
    for order in orders:
        order_id = str(order.get("id", ""))
        reference = f"ServiceRequest/{order_id}"
        based = [r for r in report_list if _based_on(r, reference)]
        results = [o for o in observation_list if _based_on(o, reference)]
        stage = _stage(order, based, results)
        orderable = catalogue.orderable_of_concept(order.get("code"))
        rows.append(
            OrderRow(
                order_id=order_id,
                label=orderable.abbreviation if orderable else str((order.get("code") or {}).get("text") or "—"),
                name=orderable.name_fi if orderable else "",
                status=str(order.get("status", "")),
                stage=stage,
                stage_label=str(ORDER_STAGES[stage]),
                authored=fhir_datetime_parse(text=order.get("authoredOn")),
                requester=_requester(order, names),
                result_at=_result_time(based, results),
                reports=tuple(_report_row(r, labels, catalogue) for r in based),
                analytes=catalogue.analytes_of_concept(order.get("code")),
            )
        )
    rows.sort(key=lambda r: (r.authored is None, -(r.authored.timestamp() if r.authored else 0)))
    return rows


def _based_on(resource: Mapping[str, Any], reference: str) -> bool:
    return any((b or {}).get("reference") == reference for b in resource.get("basedOn") or [])


def _stage(order: Mapping[str, Any], reports: list[Mapping[str, Any]], results: list[Mapping[str, Any]]) -> str:
    status = order.get("status")
    if status == "draft":
        return "draft"
    if status in ("revoked", "entered-in-error"):
        return "revoked"
    if any(r.get("status") in REPORTED_STATUSES for r in reports) or any(
        o.get("status") in RESULT_STATUSES - {"preliminary"} for o in results
    ):
        return "resulted"
    if status == "completed":
        return "resulted"
    if reports or results:
        return "partial"
    return "ordered" if status in PENDING_STATUSES else "other"


def _result_time(reports: list[Mapping[str, Any]], results: list[Mapping[str, Any]]) -> datetime | None:
    moments = [fhir_datetime_parse(text=r.get("issued")) for r in reports]
    moments += [observation_time(observation=dict(o)) for o in results]
    known = [m for m in moments if m is not None]
    return max(known) if known else None


def _requester(order: Mapping[str, Any], names: Mapping[str, str]) -> str:
    requester = order.get("requester") or {}
    return str(requester.get("display") or names.get(str(requester.get("reference") or ""), "") or "")


def _observation_label(observation: Mapping[str, Any], catalogue: Catalogue) -> str:
    orderable = catalogue.orderable_of_concept(observation.get("code"))
    label = orderable.abbreviation if orderable else analyte_of(observation.get("code"), catalogue, "fi")[1]
    value, _number, unit = value_of(observation)
    return f"{label} {value} {unit}".strip()


def _report_row(report: Mapping[str, Any], labels: Mapping[str, str], catalogue: Catalogue) -> ReportRow:
    orderable = catalogue.orderable_of_concept(report.get("code"))
    results = []
    for reference in report.get("result") or []:
        observation_id = str((reference or {}).get("reference", "")).removeprefix("Observation/")
        if observation_id in labels:
            results.append(labels[observation_id])
    return ReportRow(
        report_id=str(report.get("id", "")),
        label=orderable.abbreviation if orderable else str((report.get("code") or {}).get("text") or "—"),
        status=str(report.get("status", "")),
        issued=fhir_datetime_parse(text=report.get("issued") or report.get("effectiveDateTime")),
        results=tuple(results),
        conclusion=str(report.get("conclusion") or ""),
    )
