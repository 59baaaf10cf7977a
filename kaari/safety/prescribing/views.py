"""The prescribing screens under /clients/<id>/medications/. Each view parses, calls one service or selector,
and renders; every one reads and writes through the signed-in user's gate (`client_data_page`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaari.access.pages import client_data_page
from kaari.fhir.store import ResourceGone, ResourceNotFound, Store
from kaari.safety.prescribing import selectors, services
from kaari.safety.prescribing.forms import OverrideForm, PrescriptionForm, StopForm, stop_initial
from kaari.safety.prescribing.orders import order_line
from kaari.safety.prescribing.services import Override, PrescribingError

TEMPLATES = "safety/prescribing/"


def _page_url(patient_id: str, **query: str) -> str:
    url = f"/clients/{patient_id}/medications/"
    return f"{url}?{urlencode(query)}" if query else url


def _header(store: Store, patient_id: str) -> selectors.ClientHeader:
    """Every screen reads the client first: a user without access is refused (403) before anything else, and the
    page view's log entry names the client."""
    try:
        return selectors.client_header_get(store=store, patient_id=patient_id)
    except (ResourceNotFound, ResourceGone) as exc:
        raise Http404(_("No such client.")) from exc


@require_GET
@client_data_page
def medications(request: HttpRequest, patient_id: str, *, store: Store) -> HttpResponse:
    try:
        page = selectors.medications_page_get(store=store, patient_id=patient_id, query=request.GET.get("q", ""))
    except (ResourceNotFound, ResourceGone) as exc:
        raise Http404(_("No such client.")) from exc
    return render(request, TEMPLATES + "medications.html", {"page": page})


@require_GET
@client_data_page
def search(request: HttpRequest, patient_id: str, *, store: Store) -> HttpResponse:
    """The live catalogue search (htmx); without htmx, the page with the results."""
    query = request.GET.get("q", "")
    if not request.headers.get("HX-Request"):
        return HttpResponseRedirect(_page_url(patient_id, q=query))
    results = selectors.catalogue_search(query=query) if query.strip() else []
    context = {"results": results, "query": query, "patient_id": patient_id}
    return render(request, TEMPLATES + "_search_results.html", context)


@require_http_methods(["GET", "POST"])
@client_data_page
def prescription_new(request: HttpRequest, patient_id: str, *, store: Store) -> HttpResponse:
    client = _header(store, patient_id)
    source = request.POST if request.method == "POST" else request.GET
    product = selectors.product_get(product_id=source.get("product", ""))
    if product is None:
        messages.error(request, _("Choose a medicine from the catalogue first."))
        return HttpResponseRedirect(_page_url(patient_id))
    prior_id = source.get("prior", "")
    prior = selectors.current_order_get(store=store, patient_id=patient_id, order_id=prior_id) if prior_id else None
    alternatives = selectors.products_of_substances(atc_codes=(product.atc,))
    form = PrescriptionForm(request.POST or None, product=product, alternatives=alternatives)
    problem = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.prescription_draft_create(
                store=store,
                patient_id=patient_id,
                product_id=form.chosen_product().id,
                dosage=form.dosage(),
                prior_id=prior_id or None,
            )
        except PrescribingError as exc:
            problem = exc.message
        else:
            messages.success(request, _("Draft saved. Sign it when the prescription is ready."))
            return HttpResponseRedirect(_page_url(patient_id) + "#drafts")
    context = {"client": client, "product": product, "form": form, "prior": prior, "problem": problem}
    return render(request, TEMPLATES + "prescription_form.html", context)


@require_POST
@client_data_page
def draft_remove(request: HttpRequest, patient_id: str, draft_id: str, *, store: Store) -> HttpResponse:
    _header(store, patient_id)
    try:
        services.draft_remove(store=store, patient_id=patient_id, draft_id=draft_id)
    except PrescribingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Draft removed."))
    return HttpResponseRedirect(_page_url(patient_id) + "#drafts")


def _overrides(request: HttpRequest) -> dict[str, Override]:
    return {
        key.removeprefix("reason-"): Override(
            code=str(value), comment=request.POST.get("comment-" + key.removeprefix("reason-"), "").strip()[:500]
        )
        for key, value in request.POST.items()
        if key.startswith("reason-") and value
    }


@require_POST
@client_data_page
def sign(request: HttpRequest, patient_id: str, *, store: Store) -> HttpResponse:
    """Sign the drafts. A critical card blocks: the page comes back with the card and the override form."""
    _header(store, patient_id)
    try:
        outcome = services.prescriptions_sign(store=store, patient_id=patient_id, overrides=_overrides(request))
    except PrescribingError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(_page_url(patient_id) + "#drafts")
    if outcome.signed:
        messages.success(request, _("Signed: %(count)s prescription(s).") % {"count": len(outcome.signed)})
        return HttpResponseRedirect(_page_url(patient_id))
    critical = [c for c in outcome.cards if c.interrupts]
    form = OverrideForm(request.POST if "override" in request.POST else None, cards=critical)
    if form.is_bound:
        form.is_valid()  # for the messages of missing reasons; the service has already refused
    page = selectors.medications_page_get(store=store, patient_id=patient_id, checks=False)
    context: dict[str, Any] = {
        "page": page,
        "blocking": [(card, form[f"reason-{card.uuid}"], form[f"comment-{card.uuid}"]) for card in critical],
        "passive": [c for c in outcome.cards if not c.interrupts],
        "override_form": form,
    }
    return render(request, TEMPLATES + "medications.html", context)


@require_POST
@client_data_page
def suggestion_accept(request: HttpRequest, patient_id: str, *, store: Store) -> HttpResponse:
    _header(store, patient_id)
    try:
        index = int(request.POST.get("suggestion", ""))
        replacement = services.suggestion_accept(
            store=store, patient_id=patient_id, card_uuid=request.POST.get("card", ""), suggestion=index
        )
    except ValueError:
        messages.error(request, _("That suggestion no longer applies; the drafts have changed."))
        return HttpResponseRedirect(_page_url(patient_id) + "#drafts")
    except PrescribingError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(_page_url(patient_id) + "#drafts")
    if replacement:
        messages.success(request, _("Order removed. Choose the product and dose of the replacement."))
        return HttpResponseRedirect(_page_url(patient_id, q=replacement[0]) + "#search")
    messages.success(request, _("Order removed as suggested."))
    return HttpResponseRedirect(_page_url(patient_id) + "#drafts")


@require_http_methods(["GET", "POST"])
@client_data_page
def medication_stop(request: HttpRequest, patient_id: str, order_id: str, *, store: Store) -> HttpResponse:
    client = _header(store, patient_id)
    order = selectors.current_order_get(store=store, patient_id=patient_id, order_id=order_id)
    if order is None:
        messages.error(request, _("That order is no longer on the current medication list."))
        return HttpResponseRedirect(_page_url(patient_id))
    form = StopForm(request.POST or None, initial=stop_initial())
    problem = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.medication_stop(
                store=store,
                patient_id=patient_id,
                order_id=order_id,
                reason=data["reason"],
                note=data["note"].strip(),
                on=data["on"],
            )
        except PrescribingError as exc:
            problem = exc.message
        else:
            messages.success(request, _("Medicine stopped."))
            return HttpResponseRedirect(_page_url(patient_id))
    context = {"client": client, "order": order_line(order), "form": form, "problem": problem}
    return render(request, TEMPLATES + "stop_form.html", context)


@require_POST
@client_data_page
def medication_continue(request: HttpRequest, patient_id: str, order_id: str, *, store: Store) -> HttpResponse:
    _header(store, patient_id)
    try:
        services.medication_continue(store=store, patient_id=patient_id, order_id=order_id)
    except PrescribingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Marked as reviewed and continued."))
    return HttpResponseRedirect(_page_url(patient_id))


@require_GET
@client_data_page
def medication_change(request: HttpRequest, patient_id: str, order_id: str, *, store: Store) -> HttpResponse:
    """Change = a new prescription that replaces this one when signed: the form starts from the current product."""
    _header(store, patient_id)
    order = selectors.current_order_get(store=store, patient_id=patient_id, order_id=order_id)
    if order is None:
        messages.error(request, _("That order is no longer on the current medication list."))
        return HttpResponseRedirect(_page_url(patient_id))
    product = selectors.order_product(order)
    if product is None:
        messages.error(request, _("This medicine is not in the catalogue; search for the new one."))
        return HttpResponseRedirect(_page_url(patient_id))
    return HttpResponseRedirect(
        f"/clients/{patient_id}/medications/new?{urlencode({'product': product.id, 'prior': order_id})}"
    )
