"""Writes to the HL7 message log. The intake and the review tools call these; nothing else writes the table."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from kaari.labs.hl7.ack import header_read
from kaari.labs.models import Hl7Message


@transaction.atomic
def hl7_message_keep(*, raw: str) -> Hl7Message:
    """Store the message exactly as received, before anything else can fail."""
    header = header_read(text=raw)
    return Hl7Message.objects.create(
        raw=raw,
        received_at=timezone.now(),
        control_id=header.control_id[:199],
        sending_application=header.sending_application[:227],
        sending_facility=header.sending_facility[:227],
    )


@transaction.atomic
def hl7_message_mark_processed(*, message: Hl7Message) -> Hl7Message:
    message.status = Hl7Message.Status.PROCESSED
    message.ack_code = "AA"
    message.reason = ""
    message.processed_at = timezone.now()
    message.save(update_fields=["status", "ack_code", "reason", "processed_at"])
    return message


@transaction.atomic
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
