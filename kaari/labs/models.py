"""Every HL7 v2 message Kaari receives, kept as received: nothing is dropped, failures wait for review."""

from __future__ import annotations

from django.db import models


class Hl7MessageQuerySet(models.QuerySet["Hl7Message"]):
    def for_review(self) -> Hl7MessageQuerySet:
        return self.filter(status=Hl7Message.Status.FAILED).order_by("received_at")

    def awaiting_processing(self) -> Hl7MessageQuerySet:
        return self.filter(status=Hl7Message.Status.RECEIVED).order_by("received_at")


class Hl7Message(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received"
        PROCESSED = "processed"
        FAILED = "failed"

    raw = models.TextField()
    # The text as first received, kept when a reviewer corrects `raw` for reprocessing.
    original_raw = models.TextField(blank=True)
    received_at = models.DateTimeField(db_index=True)
    control_id = models.CharField(max_length=199, blank=True, db_index=True)
    sending_application = models.CharField(max_length=227, blank=True)
    sending_facility = models.CharField(max_length=227, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    ack_code = models.CharField(max_length=2, blank=True)
    reason = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=1)
    processed_at = models.DateTimeField(null=True, blank=True)

    objects = Hl7MessageQuerySet.as_manager()

    class Meta:
        db_table = "labs_hl7_message"
        indexes = [models.Index(fields=["status", "received_at"], name="labs_hl7_status_received")]

    def __str__(self) -> str:
        return f"HL7 {self.control_id or '(no control id)'} {self.status}"
