"""The access log: one row per request or page view that touched client data, sealed into a keyed hash chain.

Rows are only ever inserted (by kaari.access.audit.log) and later sealed (`seq`, `chain_hash` set once by
`kaari audit seal`); nothing updates or deletes them. `kaari audit verify` proves that.
"""

from __future__ import annotations

from django.db import models


class AuditEntry(models.Model):
    id = models.BigAutoField(primary_key=True)
    recorded = models.DateTimeField()
    actor_user_id = models.BigIntegerField(null=True)
    actor = models.CharField(max_length=150)
    actor_kind = models.CharField(max_length=16)
    role = models.CharField(max_length=16)
    organization_id = models.CharField(max_length=64, blank=True, default="")
    practitioner_id = models.CharField(max_length=64, blank=True, default="")
    action = models.CharField(max_length=32)  # read, search, history, create, update, delete, export, ...
    outcome = models.CharField(max_length=2)  # FHIR AuditEvent.outcome: 0, 4, 8, 12
    outcome_desc = models.CharField(max_length=400, blank=True, default="")  # e.g. why access was denied
    basis = models.CharField(max_length=100, blank=True, default="")
    # The client the entry is about; further clients of a multi-client entry are in AuditSubject.
    patient_id = models.CharField(max_length=64, blank=True, default="", db_index=True)
    keepers = models.CharField(max_length=400, blank=True, default="")  # ",k1,k2," for the keepers' review
    entities = models.TextField(blank=True, default="")  # JSON: what was disclosed or written
    query = models.TextField(blank=True, default="")
    request = models.CharField(max_length=400, blank=True, default="")  # "GET /fhir/Patient/1"
    address = models.CharField(max_length=64, blank=True, default="")
    seq = models.BigIntegerField(null=True)  # unique once sealed (the partial constraint below)
    chain_hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        db_table = "access_audit_entry"
        indexes = [
            models.Index(fields=["basis", "recorded"], name="access_audit_basis"),
            models.Index(fields=["actor_user_id", "recorded"], name="access_audit_actor"),
        ]
        # Only sealed entries carry a sequence number: new entries, written on every read, skip this index.
        constraints = [
            models.UniqueConstraint(
                fields=["seq"], condition=models.Q(seq__isnull=False), name="access_audit_seq_uniq"
            ),
        ]


class AuditSubject(models.Model):
    """The second and further clients of an entry that touched several (searches across clients)."""

    entry_id = models.BigIntegerField()
    patient_id = models.CharField(max_length=64)

    class Meta:
        db_table = "access_audit_subject"
        indexes = [models.Index(fields=["patient_id", "entry_id"], name="access_audit_subject_patient")]


class AuditSeal(models.Model):
    """The head of the sealed chain after each sealing run; a deleted tail no longer matches it."""

    sealed_at = models.DateTimeField()
    last_seq = models.BigIntegerField()
    last_entry_id = models.BigIntegerField()
    head_hash = models.CharField(max_length=64)

    class Meta:
        db_table = "access_audit_seal"
