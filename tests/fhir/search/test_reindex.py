import json
from io import StringIO

from django.core.management import call_command
from django.db import connection

from kaari.fhir.search.reindex import checkpoint_path
from kaari.fhir.search.service import SearchRequest
from kaari.fhir.store import Store, TrustedGate
from tests.factories import ObservationFactory, PatientFactory


def found(store, resource_type, *params):
    return {s.id for s in store.search(SearchRequest((resource_type,), params)).result.matches}


def reindex(*args):
    out = StringIO()
    call_command("reindex", "--quiet", *args, stdout=out)
    return out.getvalue()


def test_reindex_rebuilds_a_lost_index(db):
    store = Store(TrustedGate())
    patient = store.create(PatientFactory(name=[{"family": "Öhman"}])).stored
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM fhir_idx_string")
    assert found(store, "Patient", ("family", "ohman")) == set()
    assert "Re-indexed 1 resources" in reindex()
    assert found(store, "Patient", ("family", "ohman")) == {patient.id}


def test_reindex_of_one_type_leaves_the_others_alone(db):
    store = Store(TrustedGate())
    store.create(PatientFactory())
    store.create(ObservationFactory())
    assert "Re-indexed 1 resources" in reindex("--type", "Observation")


def test_an_interrupted_reindex_resumes_after_its_checkpoint(db, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    store = Store(TrustedGate())
    first = store.create(PatientFactory()).stored
    store.create(PatientFactory())
    store.create(PatientFactory())
    checkpoint = checkpoint_path(tmp_path, "Patient")
    checkpoint.write_text(json.dumps({"after": first.pk}))
    output = reindex("--type", "Patient")
    assert "Resuming" in output and "Re-indexed 2 resources" in output
    assert not checkpoint.exists()
