"""Taking in result messages: keep them, read them, commit their results, then answer.

The listener calls `ResultIntake.accept` and sends the ACK only after it returns. The intake here keeps every
message (so nothing acknowledged is lost), parses and maps it, and hands the FHIR Bundle to a commit step:
`commit.StoreResultCommit` (match the order and the client, write through the store API), which `kaari hl7 listen`
and `reprocess` use. `accept_many` does the same for several messages in one database transaction (the listener's
group commit, `batching.BatchingIntake`): the kept texts, the results and every outcome commit together, once.
Without a commit step (unit tests of parsing and framing) a valid message stays `received`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, Protocol, runtime_checkable

from django.db import transaction

from kaari.labs.catalogue import Catalogue
from kaari.labs.hl7.errors import APPLICATION_INTERNAL_ERROR, Hl7Error
from kaari.labs.hl7.mapping import oru_to_bundle
from kaari.labs.hl7.parse import OruMessage, oru_parse
from kaari.labs.hl7.protocol import IntakeOutcome
from kaari.labs.models import Hl7Message
from kaari.labs.services import hl7_message_mark_failed, hl7_messages_keep, hl7_messages_mark_processed

logger = logging.getLogger(__name__)

# Commits one mapped message's results, all or nothing (it rolls back its own writes before raising); raises
# Hl7Error (AE) when the order or the client is not found.
ResultCommit = Callable[[OruMessage, dict[str, Any]], None]


@runtime_checkable
class BatchCommit(Protocol):
    def commit_many(self, items: Sequence[tuple[OruMessage, dict[str, Any]]]) -> list[Exception | None]:
        """Commit each message's results, all or nothing per message; the error of each refused one, else None.
        Raises only when nothing could be committed (the database is gone): then no message is answered."""
        ...


class OneByOne:
    """A plain commit step, each message in its own savepoint."""

    def __init__(self, commit: ResultCommit) -> None:
        self.commit = commit

    def commit_many(self, items: Sequence[tuple[OruMessage, dict[str, Any]]]) -> list[Exception | None]:
        errors: list[Exception | None] = []
        for parsed, bundle in items:
            try:
                with transaction.atomic():
                    self.commit(parsed, bundle)
                errors.append(None)
            except Exception as exc:
                errors.append(exc)
        return errors


class KeepingIntake:
    def __init__(self, *, catalogue: Catalogue, commit: ResultCommit | BatchCommit | None = None) -> None:
        self.catalogue = catalogue
        self.committer: BatchCommit | None = None
        if commit is not None:
            self.committer = commit if isinstance(commit, BatchCommit) else OneByOne(commit)

    def accept(self, message_text: str, *, framing_error: str | None = None) -> IntakeOutcome:
        return self.accept_many([(message_text, framing_error)])[0]

    def accept_many(self, items: Sequence[tuple[str, str | None]]) -> list[IntakeOutcome]:
        """Keep, process and commit messages in one database transaction; one outcome each, in order.

        A refused message is kept as failed with its reason; if even that cannot commit, this raises, no ACK is
        sent and the sender sends the messages again.
        """
        with transaction.atomic():
            messages = hl7_messages_keep(raws=[text for text, _ in items])
            outcomes: dict[int, IntakeOutcome] = {}
            framed = []
            for message, (_, framing_error) in zip(messages, items, strict=True):
                if framing_error is None:
                    framed.append(message)
                else:
                    outcomes[message.pk] = _failed(message, Hl7Error("AR", "100", f"MLLP framing: {framing_error}"))
            outcomes.update(zip((m.pk for m in framed), self._process_many(framed), strict=True))
            return [outcomes[message.pk] for message in messages]

    def process(self, message: Hl7Message) -> IntakeOutcome:
        """Parse, map and commit a kept message; also how a corrected message is reprocessed."""
        with transaction.atomic():
            return self._process_many([message])[0]

    def _process_many(self, messages: Sequence[Hl7Message]) -> list[IntakeOutcome]:
        outcomes: dict[int, IntakeOutcome] = {}
        mapped: list[tuple[Hl7Message, OruMessage, dict[str, Any]]] = []
        for message in messages:
            try:
                parsed = oru_parse(text=message.raw)
                mapped.append((message, parsed, oru_to_bundle(message=parsed, catalogue=self.catalogue)))
            except Exception as exc:
                outcomes[message.pk] = _failed(message, exc)
        if self.committer is None:
            for message, _, bundle in mapped:
                outcomes[message.pk] = IntakeOutcome("AA", f"kept; {_count(bundle)} results mapped", None, message.pk)
            return [outcomes[message.pk] for message in messages]
        errors = self.committer.commit_many([(parsed, bundle) for _, parsed, bundle in mapped]) if mapped else []
        committed = []
        for (message, _, bundle), error in zip(mapped, errors, strict=True):
            if error is not None:
                outcomes[message.pk] = _failed(message, error)
            else:
                committed.append(message)
                outcomes[message.pk] = IntakeOutcome("AA", f"{_count(bundle)} results committed", None, message.pk)
        hl7_messages_mark_processed(messages=committed)
        return [outcomes[message.pk] for message in messages]


def _count(bundle: dict[str, Any]) -> int:
    return sum(1 for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation")


def _failed(message: Hl7Message, error: Exception) -> IntakeOutcome:
    if not isinstance(error, Hl7Error):
        logger.error("HL7 message %s could not be processed", message.pk, exc_info=error)
        error = Hl7Error("AE", APPLICATION_INTERNAL_ERROR, "internal error; the message is kept for review")
    hl7_message_mark_failed(message=message, ack_code=error.ack_code, reason=str(error))
    return IntakeOutcome(error.ack_code, error.reason, error, message.pk)
