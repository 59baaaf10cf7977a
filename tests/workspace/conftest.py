from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from kaari.access.tokens import user_state_forget
from tests.access.personas import World
from tests.access.personas import signed_in as session_signed_in
from tests.browser.personas import workspace_world_build


@pytest.fixture(autouse=True)
def fresh_token_state() -> None:
    user_state_forget()


@pytest.fixture
def world(db: None, settings: Any) -> World:
    settings.KAARI_DEFAULT_KEEPER = "county"
    return workspace_world_build()


@pytest.fixture
def signed_in(world: World) -> Callable[[str], Client]:
    """A browser session of the persona, past the second factor."""

    def sign_in(username: str) -> Client:
        return session_signed_in(Client(), username)

    return sign_in
