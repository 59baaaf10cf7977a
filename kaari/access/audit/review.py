"""The keepers' review of break-the-glass accesses (selectors and the review itself)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from kaari.access.models import AuditEntry, EmergencyAccess, User


@dataclass(frozen=True)
class EmergencyItem:
    access: EmergencyAccess
    reads: int  # log entries made on the emergency basis for this client by this professional


def emergency_review_list(*, keeper: str = "", include_reviewed: bool = False) -> list[EmergencyItem]:
    """Emergency accesses to review, newest first; for a keeper, those that disclosed data it keeps."""
    accesses = EmergencyAccess.objects.select_related("user").order_by("-starts")
    if not include_reviewed:
        accesses = accesses.filter(reviewed_at__isnull=True)
    items = []
    for access in accesses:
        entries = AuditEntry.objects.filter(
            actor_user_id=access.user_id,
            patient_id=access.patient_id,
            basis__contains="emergency",
            recorded__gte=access.starts,
        )
        if keeper:
            entries = entries.filter(keepers__contains=f",{keeper},")
        reads = entries.count()
        if keeper and reads == 0:
            continue
        items.append(EmergencyItem(access=access, reads=reads))
    return items


def emergency_review(*, access_id: int, reviewer: User, note: str) -> EmergencyAccess:
    access = EmergencyAccess.objects.get(pk=access_id)
    access.reviewed_by = reviewer
    access.reviewed_at = datetime.now(UTC)
    access.review_note = note
    access.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    return access
