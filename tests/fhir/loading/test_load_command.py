import json
from pathlib import Path

import pytest
from django.core.management import call_command

from kaari.fhir.models import Resource
from tests.factories import PatientFactory

SYNTHEA = Path(__file__).resolve().parents[4] / "shared" / "data" / "synthea-r4"


def ndjson(path: Path, resources) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in resources))
    return path


@pytest.mark.skipif(not any(SYNTHEA.glob("*.json")), reason=f"the shared Synthea bundles are not at {SYNTHEA}")
def test_load_takes_ndjson_and_transaction_bundles_from_a_directory(db, tmp_path, capsys):
    ndjson(tmp_path / "Patient.ndjson", [PatientFactory(id=f"p{i}") for i in range(3)])
    bundle = json.loads(next(SYNTHEA.glob("*.json")).read_text())
    (tmp_path / "bundle.json").write_text(json.dumps(bundle))
    call_command("load", str(tmp_path), "--quiet")
    out = capsys.readouterr().out
    assert f"Loaded {3 + len(bundle['entry'])} resources" in out
    assert "resources/s" in out
    assert Resource.objects.filter(resource_type="Patient", logical_id="p1").exists()


def test_load_reports_bad_entries_by_file_and_line_and_goes_on(db, tmp_path, capsys):
    path = tmp_path / "Patient.ndjson"
    path.write_text(
        json.dumps(PatientFactory(id="good-1"))
        + "\n{not json\n"
        + json.dumps({"resourceType": "Patient", "id": "bad id"})
        + "\n"
        + json.dumps(PatientFactory(id="good-2"))
        + "\n"
    )
    with pytest.raises(SystemExit) as exit_info:
        call_command("load", str(path), "--quiet")
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert f"{path}: line 2" in err
    assert f"{path}: line 3" in err
    assert set(Resource.objects.values_list("logical_id", flat=True)) == {"good-1", "good-2"}


def test_load_reports_a_missing_file(db, tmp_path, capsys):
    with pytest.raises(SystemExit):
        call_command("load", str(tmp_path / "absent.ndjson"), "--quiet")
    assert "no such file" in capsys.readouterr().err


def test_loading_the_same_ndjson_twice_makes_second_versions_not_duplicates(db, tmp_path):
    path = ndjson(tmp_path / "Patient.ndjson", [PatientFactory(id="again")])
    call_command("load", str(path), "--quiet")
    call_command("load", str(path), "--quiet")
    assert Resource.objects.get(logical_id="again").version_id == 2


@pytest.mark.django_db(transaction=True)
def test_load_with_two_processes_loads_every_file(tmp_path, capsys):
    for n in range(4):
        ndjson(tmp_path / f"part{n}.ndjson", [PatientFactory(id=f"proc-{n}-{i}") for i in range(20)])
    call_command("load", str(tmp_path), "--quiet", "--jobs", "2")
    assert "Loaded 80 resources" in capsys.readouterr().out
    assert Resource.objects.filter(logical_id__startswith="proc-").count() == 80


def test_ndjson_is_split_into_chunks_at_line_boundaries_with_line_numbers_kept(tmp_path):
    from kaari.fhir.loading.loader import work_items

    path = tmp_path / "Patient.ndjson"
    lines = [json.dumps(PatientFactory(id=f"c{i}")) + "\n" for i in range(50)]
    path.write_text("".join(lines))
    items, problems = work_items([path], chunk_bytes=500)
    assert problems == []
    assert len(items) > 5
    assert items[0].start == 0 and items[-1].end == path.stat().st_size
    data = path.read_bytes()
    for item in items:
        assert data[item.start : item.end].endswith(b"\n")
        assert data.count(b"\n", 0, item.start) + 1 == item.first_line
