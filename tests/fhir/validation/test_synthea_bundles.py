from pathlib import Path

import orjson
import pytest

from .factories import problems

SYNTHEA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "synthea-r4"
BUNDLES = sorted(SYNTHEA.glob("*.json"))

pytestmark = pytest.mark.skipif(not BUNDLES, reason=f"the shared Synthea R4 bundles are not in {SYNTHEA}")


@pytest.mark.parametrize("path", BUNDLES, ids=[p.stem.split("_")[0] for p in BUNDLES])
def test_every_resource_of_a_synthea_bundle_passes(path):
    bundle = orjson.loads(path.read_bytes())
    assert problems(bundle) == []
    for entry in bundle["entry"]:
        assert problems(entry["resource"]) == [], entry["fullUrl"]


def test_the_synthea_bundles_hold_2214_resources():
    count = sum(len(orjson.loads(path.read_bytes())["entry"]) for path in BUNDLES)
    assert count == 2214
