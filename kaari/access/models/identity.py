"""Who acts: users (professionals, residents, integration clients), units' configuration, emergency access."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from kaari.access.roles import Kind, Role


class User(AbstractUser):
    """A person or system that signs in. Professionals and residents link to their FHIR resources by id."""

    kind = models.CharField(max_length=16, choices=[(k.value, k.value) for k in Kind])
    role = models.CharField(max_length=16, choices=[(r.value, r.value) for r in Role])
    # Logical ids of resources in the store.
    organization_id = models.CharField(max_length=64, blank=True, default="")
    practitioner_id = models.CharField(max_length=64, blank=True, default="")
    practitioner_role_id = models.CharField(max_length=64, blank=True, default="")
    patient_id = models.CharField(max_length=64, blank=True, default="")
    totp_secret = models.CharField(max_length=64, blank=True, default="")
    totp_enabled = models.BooleanField(default=False)
    failed_sign_ins = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    # Every token names the generation it was issued in; raising it revokes them all.
    token_generation = models.PositiveIntegerField(default=1)
    # Integration clients: the client-credentials identity and the scopes they were granted.
    client_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    client_secret = models.CharField(max_length=256, blank=True, default="")
    scopes = models.TextField(blank=True, default="")

    class Meta:
        db_table = "access_user"


class Unit(models.Model):
    """Configuration of an organisation unit (an Organization in the store) that differs from the defaults.

    `write_register` overrides the register that the unit's professionals write into (blank: by role).
    `extra_registers` widens the registers their tasks cover, e.g. a joint social and health team.
    Reading the other register still needs a basis: `cross_register_basis` "statutory" when a law gives the
    unit one, else "consent" (the client's Consent must permit it).
    """

    organization_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200, blank=True, default="")
    write_register = models.CharField(max_length=16, blank=True, default="")
    extra_registers = models.CharField(max_length=64, blank=True, default="")
    cross_register_basis = models.CharField(
        max_length=16, choices=[("consent", "consent"), ("statutory", "statutory")], default="consent"
    )

    class Meta:
        db_table = "access_unit"

    def extra_register_list(self) -> list[str]:
        return [r.strip() for r in self.extra_registers.split(",") if r.strip()]


class EmergencyAccess(models.Model):
    """Break-the-glass: a professional opened a client's record without a relationship, stating why."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="emergency_accesses")
    patient_id = models.CharField(max_length=64)
    reason = models.TextField()
    starts = models.DateTimeField()
    expires = models.DateTimeField()
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True, default="")

    class Meta:
        db_table = "access_emergency"
        indexes = [models.Index(fields=["user", "patient_id", "expires"], name="access_emergency_user")]
