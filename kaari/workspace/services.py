"""Writes of the workspace: a clinical note, a social care entry, and opening a record in an emergency.

A clinical note is a Composition: a document with sections, each under one of the national headings. A social
care entry is a DocumentReference with plain text, as social welfare client record entries are stored elsewhere
in Kaari. Both go through the store, so the gate decides the register, the keeper and whether it is allowed.
See README.md for why these resources.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from dataclasses import dataclass

from django.db import transaction

from kaari.access.gate import AccessGate
from kaari.access.models import EmergencyAccess
from kaari.access.persons import client_known
from kaari.access.services import AccessError, emergency_open
from kaari.fhir.store import AccessDenied, Store, StoredResource, instant_format
from kaari.workspace.codes import LOINC, PROGRESS_NOTE, SOCIAL_DOC_SYSTEM, SOCIAL_ENTRY

XHTML = "http://www.w3.org/1999/xhtml"
NOTE_TITLE = "Potilaskertomusmerkintä"


@dataclass(frozen=True)
class Author:
    practitioner_id: str
    name: str

    def reference(self) -> dict[str, str]:
        return {"reference": f"Practitioner/{self.practitioner_id}", "display": self.name}


def _narrative(text: str) -> dict[str, str]:
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    body = "".join(f"<p>{html.escape(p).replace(chr(10), '<br/>')}</p>" for p in paragraphs)
    return {"status": "generated", "div": f'<div xmlns="{XHTML}">{body}</div>'}


def clinical_note_create(
    *, store: Store, patient_id: str, author: Author, sections: list[tuple[str, str]], now: dt.datetime | None = None
) -> StoredResource:
    """A progress note under the national headings, as a final Composition about the client."""
    moment = instant_format(now or dt.datetime.now(dt.UTC))
    composition = {
        "resourceType": "Composition",
        "status": "final",
        "type": {"coding": [{"system": LOINC, "code": PROGRESS_NOTE[0], "display": PROGRESS_NOTE[1]}]},
        "subject": {"reference": f"Patient/{patient_id}"},
        "date": moment,
        "author": [author.reference()],
        "title": NOTE_TITLE,
        "language": "fi",
        "section": [
            {"title": heading, "code": {"text": heading}, "text": _narrative(text)} for heading, text in sections
        ],
    }
    return store.create(composition, expected_type="Composition").stored


def social_entry_create(
    *, store: Store, patient_id: str, author: Author, title: str, text: str, now: dt.datetime | None = None
) -> StoredResource:
    """A social welfare client record entry (asiakaskertomusmerkintä) as a DocumentReference with its text."""
    moment = instant_format(now or dt.datetime.now(dt.UTC))
    document = {
        "resourceType": "DocumentReference",
        "status": "current",
        "docStatus": "final",
        "type": {"coding": [{"system": SOCIAL_DOC_SYSTEM, "code": SOCIAL_ENTRY[0], "display": SOCIAL_ENTRY[1]}]},
        "subject": {"reference": f"Patient/{patient_id}"},
        "date": moment,
        "author": [author.reference()],
        "content": [
            {
                "attachment": {
                    "contentType": "text/plain; charset=utf-8",
                    "language": "fi",
                    "data": base64.b64encode(text.encode("utf-8")).decode("ascii"),
                    "title": title,
                    "creation": moment,
                }
            }
        ],
    }
    return store.create(document, expected_type="DocumentReference").stored


@transaction.atomic
def emergency_access_open(*, store: Store, patient_id: str, reason: str) -> EmergencyAccess:
    """Break the glass for a client who exists; the opening is logged with its reason (basis `emergency`)."""
    gate = store.gate
    if not isinstance(gate, AccessGate):
        raise AccessDenied("Emergency access needs a signed-in professional")
    if not client_known(patient_id=patient_id):
        raise AccessError("No such client")
    return emergency_open(gate=gate, patient_id=patient_id, reason=reason)
