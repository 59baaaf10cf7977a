"""The contract between the MLLP listener and whatever takes the results in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from kaari.labs.hl7.errors import AckCode, Hl7Error


@dataclass(frozen=True)
class IntakeOutcome:
    ack_code: AckCode
    text: str
    error: Hl7Error | None = None
    message_id: int | None = None


class ResultIntake(Protocol):
    def accept(self, message_text: str, *, framing_error: str | None = None) -> IntakeOutcome:
        """Keep, process and commit one message; return only when the outcome is durable."""
        ...
