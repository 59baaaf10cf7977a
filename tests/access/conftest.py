from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kaari.access.tokens import user_state_forget
from tests.access.personas import World, world_build


@pytest.fixture(autouse=True)
def fresh_token_state() -> None:
    # Each test's database reuses user ids; the process-wide cache of user state must not outlive it.
    user_state_forget()


@pytest.fixture
def world(db: None, settings: Any) -> World:
    settings.KAARI_DEFAULT_KEEPER = "county"
    return world_build()


@pytest.fixture
def api(client: Client) -> Client:
    return client
