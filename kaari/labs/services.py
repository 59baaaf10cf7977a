"""Writes to the HL7 message log. The intake and the review tools call these; nothing else writes the table.

Each write is one statement: inside the intake's per-message transaction it needs no savepoint of its own."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from kaari.labs.hl7.ack import header_read
from kaari.labs.models import Hl7Message


@transaction.atomic(savepoint=False)
def hl7_messages_keep(*, raws: Sequence[str]) -> list[Hl7Message]:
    """Store the messages exactly as received, before anything else can fail (one INSERT for all)."""
    now = timezone.now()
    messages = []
    for raw in raws:
        header = header_read(text=raw)
        messages.append(
            Hl7Message(
                raw=raw,
                received_at=now,
                control_id=header.control_id[:199],
                sending_application=header.sending_application[:227],
                sending_facility=header.sending_facility[:227],
            )
        )
    return Hl7Message.objects.bulk_create(messages)


@transaction.atomic(savepoint=False)
def hl7_messages_mark_processed(*, messages: Sequence[Hl7Message]) -> None:
    if not messages:
        return
    now = timezone.now()
    Hl7Message.objects.filter(pk__in=[m.pk for m in messages]).update(
        status=Hl7Message.Status.PROCESSED, ack_code="AA", reason="", processed_at=now
    )
    for message in messages:
        message.status, message.ack_code, message.reason, message.processed_at = "processed", "AA", "", now


@transaction.atomic(savepoint=False)
def hl7_message_mark_failed(*, message: Hl7Message, ack_code: str, reason: str) -> Hl7Message:
    message.status = Hl7Message.Status.FAILED
    message.ack_code = ack_code
    message.reason = reason
    message.processed_at = timezone.now()
    message.save(update_fields=["status", "ack_code", "reason", "processed_at"])
    return message


@transaction.atomic
def hl7_message_correct(*, message: Hl7Message, raw: str) -> Hl7Message:
    """A reviewer's corrected text replaces the stored one; the next attempt processes it."""
    if not message.original_raw:
        message.original_raw = message.raw
    message.raw = raw
    message.status = Hl7Message.Status.RECEIVED
    message.attempts += 1
    message.save(update_fields=["original_raw", "raw", "status", "attempts"])
    return message
