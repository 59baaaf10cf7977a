import datetime as dt
import hashlib

from kaari.synth.region import region_generate
from kaari.synth.writer import ndjson_write


def _digest(directory):
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.ndjson")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def test_two_runs_with_the_same_seed_write_identical_bytes(tmp_path):
    ndjson_write(resources=region_generate(residents=300, seed=11), directory=tmp_path / "a")
    ndjson_write(resources=region_generate(residents=300, seed=11), directory=tmp_path / "b")
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")


def test_another_seed_gives_another_region(tmp_path):
    ndjson_write(resources=region_generate(residents=300, seed=11), directory=tmp_path / "a")
    ndjson_write(resources=region_generate(residents=300, seed=12), directory=tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "b")


def test_the_reference_day_not_the_clock_decides_the_dates(tmp_path):
    ndjson_write(resources=region_generate(residents=50, seed=11), directory=tmp_path / "a")
    ndjson_write(resources=region_generate(residents=50, seed=11, today=dt.date(2025, 1, 1)), directory=tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "b")
