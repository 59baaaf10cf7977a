"""Input of the laboratory screens, validated at the edge: a bad value is a form message, never a 500."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaari.labs.catalogue import Orderable
from kaari.labs.ordering.selectors import orderable_get

FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
CARD_UUID = re.compile(r"^[A-Za-z0-9\-]{1,64}$")

OVERRIDE_CHOICES = [
    ("", _("Choose a reason")),
    ("acute-setting", _("Acute setting")),
    ("clinical-change", _("The clinical condition has changed")),
    ("lost-sample", _("The sample was lost or rejected")),
    ("treatment-change", _("Assessing the response to a change of treatment")),
    ("earlier-result-unreliable", _("The earlier result is unreliable")),
]


class UuidListField(forms.Field):
    """Card (or card:suggestion) uuids sent back from a shown warning as hidden inputs."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        items = value if isinstance(value, list | tuple) else [value]
        return [str(v) for v in items]

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        for item in value:
            if not all(CARD_UUID.match(part) for part in item.split(":")) or item.count(":") > 1:
                raise forms.ValidationError(_("The warning sent back is not one Kaari showed."))


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(label=_("Search tests"), max_length=60, required=False)


class DraftAddForm(forms.Form):
    test = forms.CharField(max_length=64, error_messages={"required": _("Choose a test to order.")})

    def clean_test(self) -> Orderable:
        found = orderable_get(orderable_id=self.cleaned_data["test"])
        if found is None:
            raise forms.ValidationError(_("There is no such test in the laboratory catalogue."))
        return found


class OrderForm(forms.Form):
    order = forms.CharField(max_length=64, error_messages={"required": _("Choose a draft order.")})

    def clean_order(self) -> str:
        value = str(self.cleaned_data["order"])
        if not FHIR_ID.match(value):
            raise forms.ValidationError(_("That is not one of your draft orders for this client."))
        return value


class DraftRemoveForm(OrderForm):
    accepted = UuidListField(required=False)

    def clean_accepted(self) -> list[tuple[str, str]]:
        pairs = []
        for item in self.cleaned_data["accepted"]:
            card, _sep, suggestion = item.partition(":")
            if not suggestion:
                raise forms.ValidationError(_("The warning sent back is not one Kaari showed."))
            pairs.append((card, suggestion))
        return pairs


class OverrideForm(OrderForm):
    cards = UuidListField(required=True, error_messages={"required": _("There is no warning to override.")})
    reason = forms.ChoiceField(
        label=_("Reason for ordering again"),
        choices=OVERRIDE_CHOICES,
        error_messages={"required": _("Choose the reason for ordering the test again.")},
    )
    comment = forms.CharField(label=_("Comment (optional)"), max_length=500, required=False)
