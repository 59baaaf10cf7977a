from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

SYNTHEA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "synthea-r4"


def synthea_bundles() -> list[Path]:
    for candidate in (SYNTHEA, Path("/work/shared/data/synthea-r4")):
        if candidate.is_dir():
            return sorted(candidate.glob("*.json"))
    return []


@pytest.fixture(scope="session")
def synthea_resources() -> list[dict[str, Any]]:
    """The resources of the shared Synthea bundles, with urn:uuid references made local."""
    bundles = synthea_bundles()
    if not bundles:
        pytest.skip("the shared Synthea bundles are not here")
    resources = []
    for path in bundles:
        bundle = json.loads(path.read_text())
        local = {e["fullUrl"]: f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in bundle["entry"]}
        text = json.dumps([e["resource"] for e in bundle["entry"]])
        for full_url, reference in local.items():
            text = text.replace(f'"{full_url}"', f'"{reference}"')
        resources.extend(json.loads(text))
    return resources
