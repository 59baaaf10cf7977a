"""Fixtures shared by the CDS, safety and labs HTTP tests (imported by their conftest modules).

Persona: Dr Kaarina Lahti (`dr_lahti`), a physician of the health centre `hc-kaari`. The charts the tests post are
hers: each opens with a visit to her unit, which is the care relationship the gate requires.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kaari.access.services import system_store, user_create, user_token
from kaari.access.tokens import user_state_forget
from tests.cds.clients import KaariHttp

UNIT = "hc-kaari"
OTHER_UNIT = "hc-muualla"


def persona_create(username: str, *, role: str = "physician", unit: str = UNIT) -> dict[str, str]:
    user_create(username=username, role=role, organization=unit)
    return {"Authorization": f"Bearer {user_token(username=username).token}"}


@pytest.fixture
def kaari(client: Client, db: None, settings: Any) -> KaariHttp:
    """Kaari over HTTP as Dr Lahti's EHR calls it."""
    user_state_forget()  # user ids repeat across test databases; the token cache must not outlive one
    settings.KAARI_DEFAULT_KEEPER = "county"
    units = [{"resourceType": "Organization", "id": u, "name": u} for u in (UNIT, OTHER_UNIT, "county")]
    assert all(o.error is None for o in system_store("cds tests").load(units))
    return KaariHttp(client, persona_create("dr_lahti"))
