"""The laboratory screens' HTTP edge: parse, call one service, render. htmx requests get the page's content
only; without JavaScript the same forms post and get the whole page."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET, require_POST

from kaari.access.pages import client_data_page
from kaari.fhir.store import Store
from kaari.labs.ordering import services
from kaari.labs.ordering.forms import OVERRIDE_CHOICES, CatalogueSearchForm, DraftAddForm, DraftRemoveForm, OverrideForm
from kaari.labs.ordering.selectors import ClientNotFound, lab_overview_get, warnings_explain
from kaari.labs.ordering.selectors import catalogue_search as catalogue_find
from kaari.labs.ordering.services import OrderingError, SignOutcome


def _htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _page(
    request: HttpRequest,
    *,
    store: Store,
    patient_id: str,
    errors: list[str] | None = None,
    outcome: SignOutcome | None = None,
    notice: str = "",
) -> HttpResponse:
    try:
        overview = lab_overview_get(store=store, patient_id=patient_id, language=get_language() or "fi")
    except ClientNotFound as exc:
        raise Http404(gettext("No such client.")) from exc
    search = CatalogueSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    context: dict[str, Any] = {
        "overview": overview,
        "patient_id": patient_id,
        "search": search,
        "found": catalogue_find(query=query),
        "query": query,
        "errors": errors or [],
        "signed": outcome.signed if outcome else (),
        "warnings": warnings_explain(overview=overview, warnings=outcome.warnings) if outcome else [],
        # A warned draft is removed from its warning, which records the suggestion as accepted.
        "warned": {w.order_id for w in outcome.warnings} if outcome else set(),
        "notice": notice,
        "override_choices": [(value, str(text)) for value, text in OVERRIDE_CHOICES],
    }
    template = "labs/ordering/_content.html" if _htmx(request) else "labs/ordering/labs.html"
    # htmx swaps only 2xx answers; a full page with a form message says 400.
    status = 400 if errors and not _htmx(request) else 200
    return render(request, template, context, status=status)


def _back(request: HttpRequest, patient_id: str, **kwargs: Any) -> HttpResponse:
    if _htmx(request):
        return _page(request, patient_id=patient_id, **kwargs)
    if kwargs.get("errors") or kwargs.get("outcome"):
        return _page(request, patient_id=patient_id, **kwargs)
    return HttpResponseRedirect(reverse("labs:page", args=[patient_id]))


def _form_errors(form: Any) -> list[str]:
    return [str(message) for messages in form.errors.values() for message in messages]


@require_GET
@client_data_page
def labs_page(request: HttpRequest, patient_id: str, *, store: Store) -> HttpResponse:
    return _page(request, store=store, patient_id=patient_id)


@require_GET
@client_data_page
def catalogue_search(request: HttpRequest, patient_id: str, *, store: Store) -> HttpResponse:
    form = CatalogueSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    if not _htmx(request):
        return _page(request, store=store, patient_id=patient_id)
    context = {"found": catalogue_find(query=query), "query": query, "patient_id": patient_id}
    return render(request, "labs/ordering/_catalogue_results.html", context)


@require_POST
@client_data_page
def draft_add(request: HttpRequest, patient_id: str, *, store: Store) -> HttpResponse:
    form = DraftAddForm(request.POST)
    if not form.is_valid():
        return _back(request, patient_id, store=store, errors=_form_errors(form))
    try:
        services.lab_order_draft_create(store=store, patient_id=patient_id, orderable=form.cleaned_data["test"])
    except OrderingError as exc:
        return _back(request, patient_id, store=store, errors=[exc.message])
    notice = gettext("%(test)s added to the draft orders.") % {"test": form.cleaned_data["test"].abbreviation}
    return _back(request, patient_id, store=store, notice=notice)


@require_POST
@client_data_page
def orders_sign(request: HttpRequest, patient_id: str, *, store: Store) -> HttpResponse:
    try:
        outcome = services.lab_orders_sign(store=store, patient_id=patient_id)
    except OrderingError as exc:
        return _back(request, patient_id, store=store, errors=[exc.message])
    return _back(request, patient_id, store=store, outcome=outcome)


@require_POST
@client_data_page
def draft_remove(request: HttpRequest, patient_id: str, *, store: Store) -> HttpResponse:
    form = DraftRemoveForm(request.POST)
    if not form.is_valid():
        return _back(request, patient_id, store=store, errors=_form_errors(form))
    try:
        services.lab_order_draft_remove(
            store=store,
            patient_id=patient_id,
            order_id=form.cleaned_data["order"],
            accepted=form.cleaned_data["accepted"],
        )
    except OrderingError as exc:
        return _back(request, patient_id, store=store, errors=[exc.message])
    return _back(request, patient_id, store=store, notice=gettext("The draft order was removed."))


@require_POST
@client_data_page
def draft_override(request: HttpRequest, patient_id: str, *, store: Store) -> HttpResponse:
    form = OverrideForm(request.POST)
    if not form.is_valid():
        return _back(request, patient_id, store=store, errors=_form_errors(form))
    try:
        services.lab_order_override(
            store=store,
            patient_id=patient_id,
            order_id=form.cleaned_data["order"],
            cards=form.cleaned_data["cards"],
            reason=form.cleaned_data["reason"],
            comment=form.cleaned_data["comment"],
        )
    except OrderingError as exc:
        return _back(request, patient_id, store=store, errors=[exc.message])
    return _back(request, patient_id, store=store, notice=gettext("The order was signed with the reason recorded."))
