from __future__ import annotations

import pytest
from django.test import Client

from tests.access.personas import World, world_build


@pytest.fixture
def world(db: None) -> World:
    return world_build()


@pytest.fixture
def api(client: Client) -> Client:
    return client
