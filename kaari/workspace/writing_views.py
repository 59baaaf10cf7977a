"""Writing in the chart: a clinical note, a social care entry, and breaking the glass."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kaari.access.models import User
from kaari.access.pages import client_data_page
from kaari.access.services import AccessError
from kaari.fhir.store import AccessDenied, InvalidResource, ResourceNotFound, Store, StoreError
from kaari.workspace.context import signed_in
from kaari.workspace.forms import ClinicalNoteForm, EmergencyForm, SocialEntryForm
from kaari.workspace.selectors.fhirtext import human_name
from kaari.workspace.services import Author, clinical_note_create, emergency_access_open, social_entry_create


def _author(request: HttpRequest) -> Author:
    user = request.user
    assert isinstance(user, User)
    return Author(practitioner_id=user.practitioner_id, name=signed_in(user).name)


def _client_name(store: Store, patient_id: str) -> str:
    return human_name(store.read("Patient", patient_id).resource.get("name"))


@require_http_methods(["GET", "POST"])
@client_data_page
def note_new(request: HttpRequest, patient_id: str, *, store: Store) -> HttpResponse:
    client = _client_name(store, patient_id)
    form = ClinicalNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            clinical_note_create(store=store, patient_id=patient_id, author=_author(request), sections=form.sections())
        except (InvalidResource, AccessDenied) as exc:
            form.add_error(None, _("The note was not saved: %(reason)s") % {"reason": exc})
        else:
            return HttpResponseRedirect(f"/clients/{patient_id}/#timeline")
    context = {"form": form, "patient_id": patient_id, "client": client}
    return render(request, "workspace/note_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@client_data_page
def social_entry_new(request: HttpRequest, patient_id: str, *, store: Store) -> HttpResponse:
    client = _client_name(store, patient_id)
    form = SocialEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            social_entry_create(
                store=store,
                patient_id=patient_id,
                author=_author(request),
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
            )
        except (InvalidResource, AccessDenied) as exc:
            form.add_error(None, _("The entry was not saved: %(reason)s") % {"reason": exc})
        else:
            return HttpResponseRedirect(f"/clients/{patient_id}/#timeline")
    context = {"form": form, "patient_id": patient_id, "client": client}
    return render(request, "workspace/social_entry_form.html", context, status=400 if form.errors else 200)


@require_POST
@client_data_page
def emergency(request: HttpRequest, patient_id: str, *, store: Store) -> HttpResponse:
    form = EmergencyForm(request.POST)
    if form.is_valid():
        try:
            emergency_access_open(store=store, patient_id=patient_id, reason=form.cleaned_data["reason"])
        except (AccessError, ResourceNotFound, StoreError) as exc:
            form.add_error(None, str(exc))
        else:
            return HttpResponseRedirect(f"/clients/{patient_id}/")
    return render(request, "workspace/chart_refused.html", {"patient_id": patient_id, "form": form}, status=400)
