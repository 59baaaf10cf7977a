from django.core.management import call_command

from kaari.access.services import system_store


def test_synth_load_generates_a_small_region_straight_into_the_store(db, capsys):
    call_command("synth", residents=15, seed=3, load=True, jobs=1)
    out = capsys.readouterr().out
    assert "0 problems" in out
    history = system_store("test").history(resource_type="Patient", count=1000)
    assert len(history.entries) >= 15


def test_synth_with_out_and_load_writes_the_files_and_loads_them(db, tmp_path, capsys):
    call_command("synth", residents=5, seed=4, out=tmp_path, load=True, jobs=1)
    assert any(tmp_path.glob("Patient.ndjson"))
    assert "Loaded" in capsys.readouterr().out
