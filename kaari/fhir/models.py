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
    """Columns every search-index row shares. One table per search-parameter type.

    The table design belongs to kaari.fhir.search (each type's class in kaari/fhir/search/types/ says how
    it fills and queries its table). `grp` is 0 except on the rows of a composite parameter, where it ties
    the component rows taken from one element (one Observation.component) together. Text columns are
    compared in code-point order: PostgreSQL gives them the "C" collation (migration 0002), SQLite's
    default BINARY collation already is.
    """

    resource_id = models.BigIntegerField()
    resource_type = models.CharField(max_length=64)
    param = models.CharField(max_length=64)
    compartment = models.CharField(max_length=64, null=True)
    grp = models.SmallIntegerField(default=0)

    class Meta:
        abstract = True


class StringIndex(SearchIndex):
    # `value` is case-folded with accents removed (its first 512 characters); `exact` keeps the original.
    value = models.TextField()
    exact = models.TextField()

    class Meta:
        db_table = "fhir_idx_string"
        indexes = [
            models.Index(fields=["resource_id", "param"], name="fhir_idx_string_res"),
            # `resource_id` rides along (PostgreSQL): a name-prefix search reads this index alone.
            models.Index(
                fields=["resource_type", "param", "value"], name="fhir_idx_string_value", include=["resource_id"]
            ),
        ]


class TokenIndex(SearchIndex):
    system = models.TextField(default="")
    code = models.TextField(default="")
    # Identifier.type for :of-type, and the normalised display text for :text.
    type_system = models.TextField(default="")
    type_code = models.TextField(default="")
    text = models.TextField(default="")

    class Meta:
        db_table = "fhir_idx_token"
        indexes = [
            models.Index(fields=["resource_id", "param"], name="fhir_idx_token_res"),
            # resource_id right after code: the keys matching one code come out in order, so counting them and
            # merging them with the resource table stream. PostgreSQL adds `system` as an INCLUDE column (0003).
            models.Index(fields=["resource_type", "param", "code", "resource_id"], name="fhir_idx_token_code"),
            models.Index(fields=["compartment", "resource_type", "param", "code"], name="fhir_idx_token_compartment"),
        ]


class ReferenceIndex(SearchIndex):
    target_type = models.CharField(max_length=64, default="")
    target_id = models.CharField(max_length=64, default="")
    target_version = models.CharField(max_length=64, default="")
    # Absolute and canonical references keep their URL (without version); local ones leave it empty.
    url = models.TextField(default="")
    identifier_system = models.TextField(default="")
    identifier_value = models.TextField(default="")

    class Meta:
        db_table = "fhir_idx_reference"
        indexes = [
            models.Index(fields=["resource_id", "param"], name="fhir_idx_reference_res"),
            # `url` and `resource_id` ride along (PostgreSQL), so that following references backwards (chains,
            # _revinclude, compartments) reads this index alone instead of visiting a table row per reference.
            models.Index(
                fields=["target_id", "target_type", "resource_type", "param"],
                name="fhir_idx_reference_target",
                include=["url", "resource_id"],
            ),
            models.Index(fields=["url"], name="fhir_idx_reference_url", condition=~models.Q(url="")),
            models.Index(
                fields=["identifier_value"],
                name="fhir_idx_reference_ident",
                condition=~models.Q(identifier_value=""),
            ),
        ]


class DateIndex(SearchIndex):
    # The instant range the value covers, in milliseconds since the epoch, both ends inclusive.
    low = models.BigIntegerField()
    high = models.BigIntegerField()

    class Meta:
        db_table = "fhir_idx_date"
        indexes = [
            models.Index(fields=["resource_id", "param"], name="fhir_idx_date_res"),
            models.Index(fields=["resource_type", "param", "low"], name="fhir_idx_date_low"),
        ]


class NumberIndex(SearchIndex):
    # A decimal is the point (value, value); a Range is (low, high), open ends infinite.
    low = models.FloatField()
    high = models.FloatField()

    class Meta:
        db_table = "fhir_idx_number"
        indexes = [
            models.Index(fields=["resource_id", "param"], name="fhir_idx_number_res"),
            models.Index(fields=["resource_type", "param", "low"], name="fhir_idx_number_low"),
        ]


class QuantityIndex(SearchIndex):
    system = models.TextField(default="")
    code = models.TextField(default="")
    unit = models.TextField(default="")
    low = models.FloatField()
    high = models.FloatField()

    class Meta:
        db_table = "fhir_idx_quantity"
        indexes = [
            models.Index(fields=["resource_id", "param"], name="fhir_idx_quantity_res"),
            models.Index(fields=["resource_type", "param", "code", "low"], name="fhir_idx_quantity_value"),
        ]


class UriIndex(SearchIndex):
    uri = models.TextField()

    class Meta:
        db_table = "fhir_idx_uri"
        indexes = [
            models.Index(fields=["resource_id", "param"], name="fhir_idx_uri_res"),
            models.Index(fields=["resource_type", "param", "uri"], name="fhir_idx_uri_value"),
        ]
