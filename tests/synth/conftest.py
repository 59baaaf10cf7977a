"""One 2,000-resident region shared by the synth tests (about four seconds to generate)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

from kaari.synth.analysis import RegionFigures, region_analyse
from kaari.synth.clock import DEFAULT_TODAY
from kaari.synth.region import region_generate

RESIDENTS = 2000
SEED = 7


@pytest.fixture(scope="session")
def region() -> list[dict[str, Any]]:
    return list(region_generate(residents=RESIDENTS, seed=SEED))


@pytest.fixture(scope="session")
def by_type(region) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for resource in region:
        grouped[resource["resourceType"]].append(resource)
    return grouped


@pytest.fixture(scope="session")
def figures(region) -> RegionFigures:
    return region_analyse(region, today=DEFAULT_TODAY)


@pytest.fixture(scope="session")
def index(region) -> dict[str, dict[str, Any]]:
    return {f"{r['resourceType']}/{r['id']}": r for r in region}
