"""Fixtures shared by the CDS, safety and labs HTTP tests (imported by their conftest modules)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.cds.clients import KaariHttp


@pytest.fixture
def kaari(client: Client, db: None) -> KaariHttp:
    """Kaari over HTTP as a clinician's EHR calls it."""
    return KaariHttp(client)
