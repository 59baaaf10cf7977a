"""The labs screens' tests: the access tests' region (tests/access/personas.py), signed in through the session.

nurse_ceder and dr_ahonen work at hc-north, where Aino has an open visit: they may see and order for her.
dr_berg (ward-7) has no care relationship with her.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from kaari.access.tokens import user_state_forget
from tests.access.personas import World, signed_in, world_build

AINO = "/clients/aino/labs/"


@pytest.fixture(autouse=True)
def fresh_token_state() -> None:
    user_state_forget()


@pytest.fixture
def world(db: None, settings: Any) -> World:
    settings.KAARI_DEFAULT_KEEPER = "county"
    return world_build()


@pytest.fixture
def sign_in(client: Client, world: World) -> Callable[[str], Client]:
    def signed(username: str) -> Client:
        return signed_in(client, username)

    return signed


HTMX = {"HX-Request": "true"}
