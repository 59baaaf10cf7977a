"""Forms of the workspace: what a professional writes, validated at the edge."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# The Finnish national headings of the patient record (kansalliset otsikot), in their order; the key is the
# heading as stored, the label what the user reads in their language.
NOTE_HEADINGS: tuple[tuple[str, str, Any], ...] = (
    ("tulosyy", "Tulosyy", _("Reason for visit (Tulosyy)")),
    ("esitiedot", "Esitiedot", _("History (Esitiedot)")),
    ("nykytila", "Nykytila", _("Current state (Nykytila)")),
    ("tutkimukset", "Tutkimukset", _("Examinations (Tutkimukset)")),
    ("arvio", "Arvio", _("Assessment (Arvio)")),
    ("suunnitelma", "Suunnitelma", _("Plan (Suunnitelma)")),
)
TEXT_LIMIT = 20_000


class ClinicalNoteForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, _heading, label in NOTE_HEADINGS:
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                max_length=TEXT_LIMIT,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any(str(cleaned.get(key) or "").strip() for key, _h, _l in NOTE_HEADINGS):
            raise forms.ValidationError(_("Write under at least one heading."))
        return cleaned

    def sections(self) -> list[tuple[str, str]]:
        """(national heading, text) for each heading written under, in the national order."""
        return [
            (heading, str(self.cleaned_data[key]).strip())
            for key, heading, _label in NOTE_HEADINGS
            if str(self.cleaned_data.get(key) or "").strip()
        ]


class SocialEntryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, initial="Asiakaskertomusmerkintä")
    text = forms.CharField(label=_("Entry"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 8}))


class EmergencyForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for emergency access"),
        min_length=10,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "aria-describedby": "reason-help"}),
        help_text=_("At least 10 characters. The access is logged and reviewed."),
    )
