"""Input of the prescribing screens, validated at the edge with messages the prescriber can act on."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaari.safety.knowledge.model import Product
from kaari.safety.prescribing.orders import DOSE_UNITS, DURATION_UNITS, FREQUENCIES, ROUTES, STOP_REASONS, Dosage

MAX_COURSE_DAYS = 365
# A form's usual dose unit, so the prescriber rarely has to change it.
FORM_UNITS = {"tabletti": "tablet", "kapseli": "capsule", "depotlaastari": "patch", "peräpuikko": "suppository"}


def _choices(table: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(key, value[-1] if isinstance(value, tuple) else value) for key, value in table.items()]


class PrescriptionForm(forms.Form):
    product = forms.ChoiceField(
        label=_("Strength and form"),
        error_messages={"invalid_choice": _("Choose one of the listed strengths and forms.")},
    )
    dose = forms.DecimalField(
        label=_("Dose"),
        min_value=Decimal("0.001"),
        max_value=Decimal("10000"),
        max_digits=9,
        decimal_places=3,
        localize=True,
        error_messages={
            "required": _("Enter the dose."),
            "invalid": _("Enter the dose as a number, e.g. 1 or 0,5."),
            "min_value": _("The dose must be more than zero."),
            "max_value": _("The dose is too large; check the unit."),
            "max_decimal_places": _("Give the dose with at most three decimals."),
        },
    )
    dose_unit = forms.ChoiceField(label=_("Unit"), choices=_choices(DOSE_UNITS))
    route = forms.ChoiceField(
        label=_("Route"),
        choices=[("", _("Choose the route")), *_choices(ROUTES)],
        error_messages={"required": _("Choose the route.")},
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=[("", _("Choose how often")), *_choices(FREQUENCIES)],
        error_messages={"required": _("Choose how often the dose is taken.")},
    )
    continuing = forms.BooleanField(label=_("Continuing medicine (no end date)"), required=False)
    duration = forms.IntegerField(
        label=_("Duration"),
        required=False,
        min_value=1,
        max_value=MAX_COURSE_DAYS,
        error_messages={
            "invalid": _("Enter the duration as a whole number."),
            "min_value": _("The duration must be at least 1."),
            "max_value": _("The duration is too long."),
        },
    )
    duration_unit = forms.ChoiceField(label=_("Duration unit"), choices=_choices(DURATION_UNITS), initial="d")
    instructions = forms.CharField(
        label=_("Additional instructions"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Keep the instructions under 500 characters.")},
    )

    def __init__(self, *args: Any, product: Product, alternatives: list[Product], **kwargs: Any) -> None:
        """`product` is the one chosen in the search; `alternatives` the same substance's other products."""
        super().__init__(*args, **kwargs)
        self.products = {p.id: p for p in [product, *alternatives]}
        product_field = self.fields["product"]
        assert isinstance(product_field, forms.ChoiceField)
        product_field.choices = [(p.id, f"{p.strength} {p.form}") for p in self.products.values()]
        if not self.is_bound:
            self.initial.update(
                {
                    "product": product.id,
                    "route": product.route if product.route in ROUTES else "",
                    "dose_unit": _unit_for(product),
                }
            )

    def chosen_product(self) -> Product:
        return self.products[self.cleaned_data["product"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        duration, unit = data.get("duration"), data.get("duration_unit")
        if data.get("continuing"):
            if duration is not None:
                self.add_error("duration", _("A continuing medicine has no duration; clear one of them."))
        elif duration is None and "duration" not in self.errors:
            self.add_error("duration", _("Give the duration, or mark the medicine as continuing."))
        elif duration is not None and unit in DURATION_UNITS and duration * DURATION_UNITS[unit][0] > MAX_COURSE_DAYS:
            self.add_error("duration", _("A course can last at most a year; mark a longer one as continuing."))
        return data

    def dosage(self) -> Dosage:
        data = self.cleaned_data
        return Dosage(
            dose=data["dose"],
            dose_unit=data["dose_unit"],
            route=data["route"],
            frequency=data["frequency"],
            duration=None if data.get("continuing") else data["duration"],
            duration_unit=data["duration_unit"],
            instructions=data.get("instructions", "").strip(),
        )


def _unit_for(product: Product) -> str:
    form = product.form.split(",")[0]
    if form.endswith("tabletti") or form == "resoribletti":
        return "tablet"
    if form.endswith("kapseli"):
        return "capsule"
    if "/ml" in product.strength or form.endswith(("liuos", "suspensio")):
        return "ml"
    return FORM_UNITS.get(form, "dose")


class StopForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("Choose the reason")), *_choices(STOP_REASONS)],
        error_messages={"required": _("Choose why the medicine is stopped.")},
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Keep the note under 500 characters.")},
    )
    on = forms.DateField(
        label=_("Stop date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={"required": _("Give the stop date."), "invalid": _("Give the stop date as a date.")},
    )

    def clean_on(self) -> date:
        on: date = self.cleaned_data["on"]
        if abs((on - date.today()).days) > 366:
            raise forms.ValidationError(_("The stop date must be within a year of today."))
        return on


class OverrideForm(forms.Form):
    """One reason per critical card, named `reason-<card uuid>`; checked against the card's own reasons by the
    sign service. Comments are optional."""

    def __init__(self, *args: Any, cards: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for card in cards:
            self.fields[f"reason-{card.uuid}"] = forms.ChoiceField(
                label=card.summary,
                choices=[(r["code"], r["display"]) for r in card.override_reasons],
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a reason to override this alert, or remove the order.")},
            )
            self.fields[f"comment-{card.uuid}"] = forms.CharField(
                label=_("Comment (optional)"), required=False, max_length=500
            )


def stop_initial() -> dict[str, Any]:
    return {"on": date.today()}
