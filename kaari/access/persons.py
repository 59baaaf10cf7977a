"""Whether a client exists, known without disclosing any of their data: what a professional needs before breaking
the glass for a client they have no relationship with. Read from the derived person table (one row per Patient)."""

from __future__ import annotations

from kaari.access.models import Person


def client_known(*, patient_id: str) -> bool:
    return Person.objects.filter(patient_id=patient_id).exists()


def client_by_hetu(*, hetu: str) -> str | None:
    """The Patient id holding this personal identity code, or None."""
    found = Person.objects.filter(hetu=hetu).values_list("patient_id", flat=True).first()
    return str(found) if found else None
