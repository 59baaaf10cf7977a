"""Tables derived from store resources by the write observer (kaari.access.derive). Never edited by hand:
`kaari access rebuild` recreates them from the store.

Each row names the resource it came from (`source_type`, `source_id`) so that a new version replaces the
rows of the old one.
"""

from __future__ import annotations

from django.db import models


class Derived(models.Model):
    source_type = models.CharField(max_length=64)
    source_id = models.CharField(max_length=64)

    class Meta:
        abstract = True


class CareRelationship(Derived):
    """A care or client relationship of a unit or a practitioner with a client, open (ends NULL) or ended."""

    patient_id = models.CharField(max_length=64)
    organization_id = models.CharField(max_length=64, blank=True, default="")
    practitioner_id = models.CharField(max_length=64, blank=True, default="")
    starts = models.DateTimeField(null=True)
    ends = models.DateTimeField(null=True)

    class Meta:
        db_table = "access_care_relationship"
        indexes = [
            models.Index(fields=["patient_id", "organization_id"], name="access_rel_patient_org"),
            models.Index(fields=["patient_id", "practitioner_id"], name="access_rel_patient_pract"),
            models.Index(fields=["source_type", "source_id"], name="access_rel_source"),
            # The gate's search filter asks for all clients of a unit or a practitioner: without these it reads
            # the whole table on every search (100 ms at 230,000 relationships).
            models.Index(fields=["organization_id", "ends"], name="access_rel_org"),
            models.Index(fields=["practitioner_id", "ends"], name="access_rel_pract"),
        ]


class ConsentRule(Derived):
    """A client's consent decision: deny or permit disclosure between registers, or deny it to an organisation."""

    DENY_BETWEEN_REGISTERS = "deny-registers"
    PERMIT_BETWEEN_REGISTERS = "permit-registers"
    DENY_ORGANIZATION = "deny-organization"

    patient_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=24)
    register = models.CharField(max_length=16, blank=True, default="")
    organization_id = models.CharField(max_length=64, blank=True, default="")
    starts = models.DateTimeField(null=True)
    ends = models.DateTimeField(null=True)

    class Meta:
        db_table = "access_consent_rule"
        indexes = [
            models.Index(fields=["patient_id", "kind"], name="access_consent_patient"),
            models.Index(fields=["source_type", "source_id"], name="access_consent_source"),
        ]


class ReleaseDelay(Derived):
    """A resource that residents may not see before `release_on` (fi-base ReleaseDateForPatientViewing)."""

    resource_type = models.CharField(max_length=64)
    logical_id = models.CharField(max_length=64)
    release_on = models.DateField()

    class Meta:
        db_table = "access_release_delay"
        indexes = [
            models.Index(fields=["resource_type", "logical_id"], name="access_delay_target"),
            models.Index(fields=["source_type", "source_id"], name="access_delay_source"),
        ]


class GuardianRestriction(Derived):
    """Data of a minor that guardians may not see (fi-base RestrictionParent); empty id: the whole record."""

    patient_id = models.CharField(max_length=64)
    resource_type = models.CharField(max_length=64, blank=True, default="")
    logical_id = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        db_table = "access_guardian_restriction"
        indexes = [
            models.Index(fields=["patient_id"], name="access_grestr_patient"),
            models.Index(fields=["resource_type", "logical_id"], name="access_grestr_target"),
            models.Index(fields=["source_type", "source_id"], name="access_grestr_source"),
        ]


class Person(Derived):
    """A Patient's identity code and birth date, so that guardianships can be matched in SQL."""

    patient_id = models.CharField(max_length=64, unique=True)
    hetu = models.CharField(max_length=16, blank=True, default="", db_index=True)
    birth_date = models.DateField(null=True)

    class Meta:
        db_table = "access_person"


class Guardianship(Derived):
    """A guardian (by identity code) of a client, from a RelatedPerson with the GUARD relationship."""

    minor_patient_id = models.CharField(max_length=64)
    guardian_hetu = models.CharField(max_length=16)
    ends = models.DateField(null=True)

    class Meta:
        db_table = "access_guardianship"
        indexes = [
            models.Index(fields=["guardian_hetu"], name="access_guardian_hetu"),
            models.Index(fields=["source_type", "source_id"], name="access_guardian_source"),
        ]


class PolicyGeneration(models.Model):
    """Per client, a number that changes, to a value never used before, whenever a row the professional's access
    rules read about them changes (consent rules, care relationships, emergency accesses). PostgreSQL triggers keep
    it (kaari.access.policy); a decision cached with the number stays valid while the number is the same."""

    patient_id = models.CharField(max_length=64, primary_key=True)
    generation = models.BigIntegerField()

    class Meta:
        db_table = "access_policy_generation"
        # A read looks the client's generation up by the row's client: from the index alone (on PostgreSQL).
        indexes = [models.Index(fields=["patient_id"], include=["generation"], name="access_policy_gen_cover")]
