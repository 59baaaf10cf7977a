"""The access app's tables: identities and units, tables derived from the store, and the access log."""

from kaari.access.models.audit import AuditEntry, AuditSeal, AuditSubject
from kaari.access.models.derived import (
    CareRelationship,
    ConsentRule,
    GuardianRestriction,
    Guardianship,
    Person,
    PolicyGeneration,
    ReleaseDelay,
)
from kaari.access.models.identity import EmergencyAccess, Unit, User

__all__ = [
    "AuditEntry",
    "AuditSeal",
    "AuditSubject",
    "CareRelationship",
    "ConsentRule",
    "EmergencyAccess",
    "GuardianRestriction",
    "Guardianship",
    "Person",
    "PolicyGeneration",
    "ReleaseDelay",
    "Unit",
    "User",
]
