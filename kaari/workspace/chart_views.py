"""The chart: the header in the first response, every other block a fragment of its own (loaded by htmx), each
fragment its own gated, logged page view."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kaari.access.authentication import session_principal
from kaari.access.pages import client_data_page
from kaari.fhir.conventions import REGISTER_SOCIAL
from kaari.fhir.store import AccessDenied, ResourceGone, ResourceNotFound, Store
from kaari.workspace.forms import EmergencyForm
from kaari.workspace.selectors.chart import chart_block
from kaari.workspace.selectors.events import KINDS
from kaari.workspace.selectors.header import chart_header


@require_GET
@client_data_page
def chart(request: HttpRequest, patient_id: str, *, store: Store) -> HttpResponse:
    try:
        header = chart_header(store=store, patient_id=patient_id)
    except (ResourceNotFound, ResourceGone):
        return render(request, "workspace/chart_missing.html", {"patient_id": patient_id}, status=404)
    except AccessDenied:
        context = {"patient_id": patient_id, "form": EmergencyForm()}
        return render(request, "workspace/chart_refused.html", context, status=403)
    principal = session_principal(request)
    writes_social = principal is not None and principal.register == REGISTER_SOCIAL
    context = {"header": header, "patient_id": patient_id, "writes_social": writes_social}
    return render(request, "workspace/chart.html", context)


@require_GET
@client_data_page
def block(request: HttpRequest, patient_id: str, name: str, *, store: Store) -> HttpResponse:
    kind = request.GET.get("kind", "all")
    kind = kind if kind in KINDS else "all"
    data = chart_block(store=store, patient_id=patient_id, name=name, kind=kind)
    context = {"data": data, "patient_id": patient_id, "kind": kind, "kinds": KINDS}
    return render(request, f"workspace/blocks/{name}.html", context)
