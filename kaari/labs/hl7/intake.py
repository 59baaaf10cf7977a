"""Taking in one result message: keep it, read it, commit its results, then answer.

The listener calls `ResultIntake.accept` and sends the ACK only after it returns. The intake
here keeps every message first (so nothing is lost), parses and maps it, and hands the FHIR
Bundle to an injected `commit` step. The store-backed step (match the order and the client,
write through the store API) is wired by the integration; without it a valid message stays
`received`, waiting for that step.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kaari.labs.catalogue import Catalogue
from kaari.labs.hl7.errors import APPLICATION_INTERNAL_ERROR, Hl7Error
from kaari.labs.hl7.mapping import oru_to_bundle
from kaari.labs.hl7.parse import OruMessage, oru_parse
from kaari.labs.hl7.protocol import IntakeOutcome
from kaari.labs.models import Hl7Message
from kaari.labs.services import hl7_message_keep, hl7_message_mark_failed, hl7_message_mark_processed

logger = logging.getLogger(__name__)

# Commits a mapped message's results; raises Hl7Error (AE) when the order or the client is not found.
ResultCommit = Callable[[OruMessage, dict[str, Any]], None]


class KeepingIntake:
    def __init__(self, *, catalogue: Catalogue, commit: ResultCommit | None = None) -> None:
        self.catalogue = catalogue
        self.commit = commit

    def accept(self, message_text: str, *, framing_error: str | None = None) -> IntakeOutcome:
        message = hl7_message_keep(raw=message_text)
        if framing_error is not None:
            error = Hl7Error("AR", "100", f"MLLP framing: {framing_error}")
            hl7_message_mark_failed(message=message, ack_code="AR", reason=str(error))
            return IntakeOutcome("AR", error.reason, error, message.pk)
        return self.process(message)

    def process(self, message: Hl7Message) -> IntakeOutcome:
        """Parse, map and commit a kept message; also how a corrected message is reprocessed."""
        try:
            parsed = oru_parse(text=message.raw)
            bundle = oru_to_bundle(message=parsed, catalogue=self.catalogue)
            if self.commit is not None:
                self.commit(parsed, bundle)
        except Hl7Error as error:
            hl7_message_mark_failed(message=message, ack_code=error.ack_code, reason=str(error))
            return IntakeOutcome(error.ack_code, error.reason, error, message.pk)
        except Exception:
            logger.exception("HL7 message %s could not be processed", message.pk)
            internal = Hl7Error("AE", APPLICATION_INTERNAL_ERROR, "internal error; the message is kept for review")
            hl7_message_mark_failed(message=message, ack_code="AE", reason=str(internal))
            return IntakeOutcome("AE", internal.reason, internal, message.pk)
        observations = sum(1 for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation")
        if self.commit is not None:
            hl7_message_mark_processed(message=message)
            return IntakeOutcome("AA", f"{observations} results committed", None, message.pk)
        return IntakeOutcome("AA", f"kept; {observations} results mapped", None, message.pk)
