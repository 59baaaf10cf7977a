"""The store's tables. Only kaari.fhir.store reads or writes them; everything else uses the store API.

Every row carries `compartment`, the logical id of the Patient whose compartment holds the resource.
It is the distribution column for a Citus deployment (docs/architecture.md) and lets patient-scoped
searches use one composite index.
"""

from __future__ import annotations

from django.db import models


class Resource(models.Model):
    """The current version of each resource. A deleted resource stays as a tombstone for 410 Gone."""

    resource_type = models.CharField(max_length=64)
    logical_id = models.CharField(max_length=64)
    version_id = models.PositiveIntegerField()
    last_updated = models.DateTimeField()
    deleted = models.BooleanField(default=False)
    compartment = models.CharField(max_length=64, null=True)
    register = models.CharField(max_length=16, default="")
    keeper = models.CharField(max_length=64, default="")
    body = models.TextField()

    class Meta:
        db_table = "fhir_resource"
        constraints = [
            models.UniqueConstraint(fields=["resource_type", "logical_id"], name="fhir_resource_type_id_uniq"),
        ]
        indexes = [
            models.Index(fields=["compartment", "resource_type"], name="fhir_resource_compartment"),
            models.Index(fields=["resource_type", "last_updated"], name="fhir_resource_type_updated"),
            models.Index(fields=["last_updated"], name="fhir_resource_updated"),
        ]


class ResourceVersion(models.Model):
    """Every version ever written, the current one included. History reads this table."""

    resource_type = models.CharField(max_length=64)
    logical_id = models.CharField(max_length=64)
    version_id = models.PositiveIntegerField()
    last_updated = models.DateTimeField()
    deleted = models.BooleanField(default=False)
    method = models.CharField(max_length=8)
    compartment = models.CharField(max_length=64, null=True)
    register = models.CharField(max_length=16, default="")
    keeper = models.CharField(max_length=64, default="")
    body = models.TextField()

    class Meta:
        db_table = "fhir_resource_version"
        constraints = [
            models.UniqueConstraint(
                fields=["resource_type", "logical_id", "version_id"], name="fhir_version_type_id_ver_uniq"
            ),
        ]
        indexes = [
            models.Index(fields=["last_updated"], name="fhir_version_updated"),
            models.Index(fields=["resource_type", "last_updated"], name="fhir_version_type_updated"),
        ]


class PatientIdentity(models.Model):
    """One Patient per national identity code (urn:oid:1.2.246.21), enforced by the database."""

    system = models.CharField(max_length=255)
    value = models.CharField(max_length=255)
    resource_id = models.BigIntegerField(db_index=True)

    class Meta:
        db_table = "fhir_patient_identity"
        constraints = [
            models.UniqueConstraint(fields=["system", "value"], name="fhir_patient_identity_uniq"),
        ]


class SearchIndex(models.Model):
    """Columns every search-index row shares. One table per search-parameter type."""

    resource_id = models.BigIntegerField()
    resource_type = models.CharField(max_length=64)
    param = models.CharField(max_length=64)
    compartment = models.CharField(max_length=64, null=True)

    class Meta:
        abstract = True


class StringIndex(SearchIndex):
    # `value` is case-folded with accents removed; `exact` keeps the original for :exact.
    value = models.CharField(max_length=255)
    exact = models.TextField()

    class Meta:
        db_table = "fhir_idx_string"
        indexes = [
            models.Index(fields=["resource_id"], name="fhir_idx_string_res"),
            models.Index(
                fields=["resource_type", "param", "value"],
                name="fhir_idx_string_value",
                opclasses=["", "", "varchar_pattern_ops"],
            ),
        ]


class TokenIndex(SearchIndex):
    system = models.CharField(max_length=255, default="")
    code = models.CharField(max_length=255, default="")
    # Identifier.type for :of-type, and the normalised display text for :text.
    type_system = models.CharField(max_length=255, default="")
    type_code = models.CharField(max_length=255, default="")
    text = models.CharField(max_length=255, default="")

    class Meta:
        db_table = "fhir_idx_token"
        indexes = [
            models.Index(fields=["resource_id"], name="fhir_idx_token_res"),
            models.Index(fields=["resource_type", "param", "code", "system"], name="fhir_idx_token_code"),
            models.Index(fields=["compartment", "param", "code"], name="fhir_idx_token_compartment"),
        ]


class ReferenceIndex(SearchIndex):
    target_type = models.CharField(max_length=64, default="")
    target_id = models.CharField(max_length=64, default="")
    target_version = models.CharField(max_length=64, default="")
    # Absolute and canonical references keep their URL; local ones leave it empty.
    url = models.TextField(default="")

    class Meta:
        db_table = "fhir_idx_reference"
        indexes = [
            models.Index(fields=["resource_id"], name="fhir_idx_reference_res"),
            models.Index(
                fields=["target_type", "target_id", "resource_type", "param"],
                name="fhir_idx_reference_target",
            ),
        ]


class DateIndex(SearchIndex):
    # The instant range the value covers, in milliseconds since the epoch, both ends inclusive.
    low = models.BigIntegerField()
    high = models.BigIntegerField()

    class Meta:
        db_table = "fhir_idx_date"
        indexes = [
            models.Index(fields=["resource_id"], name="fhir_idx_date_res"),
            models.Index(fields=["resource_type", "param", "low"], name="fhir_idx_date_low"),
            models.Index(fields=["compartment", "param", "low"], name="fhir_idx_date_compartment"),
        ]


class NumberIndex(SearchIndex):
    # The range the stored value stands for at its own precision.
    low = models.FloatField()
    high = models.FloatField()

    class Meta:
        db_table = "fhir_idx_number"
        indexes = [
            models.Index(fields=["resource_id"], name="fhir_idx_number_res"),
            models.Index(fields=["resource_type", "param", "low"], name="fhir_idx_number_low"),
        ]


class QuantityIndex(SearchIndex):
    system = models.CharField(max_length=255, default="")
    code = models.CharField(max_length=255, default="")
    unit = models.CharField(max_length=255, default="")
    low = models.FloatField()
    high = models.FloatField()

    class Meta:
        db_table = "fhir_idx_quantity"
        indexes = [
            models.Index(fields=["resource_id"], name="fhir_idx_quantity_res"),
            models.Index(fields=["resource_type", "param", "code", "low"], name="fhir_idx_quantity_value"),
        ]


class UriIndex(SearchIndex):
    uri = models.TextField()

    class Meta:
        db_table = "fhir_idx_uri"
        indexes = [
            models.Index(fields=["resource_id"], name="fhir_idx_uri_res"),
        ]
