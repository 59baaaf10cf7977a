"""What the CDS runtime remembers: each call with its orders and the cards it showed, and each feedback.

These are the denominators and numerators of the alert-fatigue reports (`kaari safety report`,
`kaari labs report`): orders per call, cards per indicator and rule, outcomes and override reasons per card.
"""

from __future__ import annotations

from django.db import models


class CdsCallQuerySet(models.QuerySet["CdsCall"]):
    def of_services(self, service_ids: list[str]) -> CdsCallQuerySet:
        return self.filter(service_id__in=service_ids)

    def between(self, since: object | None, until: object | None) -> CdsCallQuerySet:
        calls = self
        if since is not None:
            calls = calls.filter(called_at__gte=since)
        if until is not None:
            calls = calls.filter(called_at__lt=until)
        return calls


class CdsCall(models.Model):
    """One answered service request (a retried hookInstance replaces its earlier record)."""

    service_id = models.CharField(max_length=64)
    hook = models.CharField(max_length=32)
    hook_instance = models.CharField(max_length=128)
    patient_id = models.CharField(max_length=64, db_index=True)
    # context.userId as the EHR sent it, and the authenticated caller (token subject) who made the call.
    user_id = models.CharField(max_length=140)
    caller = models.CharField(max_length=150, blank=True)
    # The draft orders the service checked: [{"reference", "codes", "display"}]; order_count is their number.
    orders = models.JSONField(default=list)
    order_count = models.PositiveIntegerField(default=0)
    # Which prefetch keys came from the client and which were read from Kaari's store.
    prefetch_given = models.JSONField(default=list)
    prefetch_read = models.JSONField(default=list)
    duration_ms = models.FloatField(default=0.0)
    called_at = models.DateTimeField(db_index=True)

    objects = CdsCallQuerySet.as_manager()

    class Meta:
        db_table = "cds_call"
        constraints = [
            models.UniqueConstraint(fields=["service_id", "hook_instance"], name="cds_call_one_per_hook_instance")
        ]
        indexes = [models.Index(fields=["service_id", "called_at"], name="cds_call_service_time")]

    def __str__(self) -> str:
        return f"{self.service_id} {self.hook_instance}"


class CdsCard(models.Model):
    """A card as shown: which rule produced it, how loud it was, which draft orders it is about."""

    call = models.ForeignKey(CdsCall, on_delete=models.CASCADE, related_name="cards")
    uuid = models.CharField(max_length=64, db_index=True)
    rule_id = models.CharField(max_length=200)
    indicator = models.CharField(max_length=8)
    summary = models.CharField(max_length=140)
    orders = models.JSONField(default=list)  # ["MedicationRequest/draft-1"]
    # [{"uuid", "label", "actions": [{"type", "resourceId"}]}] and [{"system", "code", "display"}], for feedback.
    suggestions = models.JSONField(default=list)
    override_reasons = models.JSONField(default=list)

    class Meta:
        db_table = "cds_card"

    def __str__(self) -> str:
        return f"{self.indicator} {self.rule_id} {self.uuid}"


class CdsFeedback(models.Model):
    """What the clinician did with a card (CDS Hooks 2.0 feedback), tied to the card as shown."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted"
        OVERRIDDEN = "overridden"

    card = models.ForeignKey(CdsCard, on_delete=models.PROTECT, related_name="feedback")
    service_id = models.CharField(max_length=64)
    card_uuid = models.CharField(max_length=64)
    rule_id = models.CharField(max_length=200, db_index=True)
    patient_id = models.CharField(max_length=64)
    user_id = models.CharField(max_length=140)
    caller = models.CharField(max_length=150, blank=True)
    orders = models.JSONField(default=list)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    accepted_suggestions = models.JSONField(default=list)
    override_system = models.CharField(max_length=200, blank=True)
    override_code = models.CharField(max_length=100, blank=True)
    override_display = models.CharField(max_length=200, blank=True)
    user_comment = models.TextField(blank=True)
    outcome_at = models.DateTimeField()
    received_at = models.DateTimeField()

    class Meta:
        db_table = "cds_feedback"

    def __str__(self) -> str:
        return f"{self.outcome} {self.rule_id} {self.card_uuid}"
