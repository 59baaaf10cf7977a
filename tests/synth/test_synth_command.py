import io

import pytest
from django.core.management import CommandError, call_command


def test_synth_writes_one_ndjson_file_per_resource_type(tmp_path):
    out = io.StringIO()
    call_command("synth", residents=60, seed=3, out=tmp_path, stdout=out, stderr=io.StringIO())
    names = {p.name for p in tmp_path.glob("*.ndjson")}
    assert {"Patient.ndjson", "Encounter.ndjson", "ChargeItem.ndjson", "Organization.ndjson"} <= names
    assert len((tmp_path / "Patient.ndjson").read_text().splitlines()) == 60
    assert "resources/s" in out.getvalue()


def test_synth_refuses_to_mix_with_an_earlier_region_unless_told(tmp_path):
    call_command("synth", residents=10, out=tmp_path, stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError, match="--overwrite"):
        call_command("synth", residents=10, out=tmp_path, stdout=io.StringIO(), stderr=io.StringIO())
    call_command("synth", residents=10, out=tmp_path, overwrite=True, stdout=io.StringIO(), stderr=io.StringIO())


def test_the_report_prints_lorenz_service_types_and_prevalences(tmp_path):
    call_command("synth", residents=200, out=tmp_path, stdout=io.StringIO(), stderr=io.StringIO())
    out = io.StringIO()
    call_command("synth", report=tmp_path, stdout=out)
    text = out.getvalue()
    assert "top  10%" in text
    assert "heavy users" in text
    assert "sepelvaltimotaudin yleisyys" in text


def test_the_report_needs_an_ndjson_directory(tmp_path):
    with pytest.raises(CommandError, match="no \\*.ndjson"):
        call_command("synth", report=tmp_path, stdout=io.StringIO())
