import math

from kaari.fhir.search.indexing import INDEX_TABLES, index_rows
from kaari.fhir.search.types.date import MAX_MS, date_range_ms
from tests.factories import ObservationFactory, PatientFactory


def rows_of(resource, table, param):
    columns = INDEX_TABLES[table]
    return [dict(zip(columns, row, strict=True)) for row in index_rows(resource).get(table, []) if row[0] == param]


def ms(text):
    found = date_range_ms(text)
    assert found is not None
    return found


def test_each_name_part_is_a_row_normalised_for_search_and_kept_as_written():
    patient = PatientFactory(name=[{"family": "Åhlström", "given": ["Aino", "Järvi"]}])
    rows = rows_of(patient, "fhir_idx_string", "name")
    assert [(r["value"], r["exact"]) for r in rows] == [("ahlstrom", "Åhlström"), ("aino", "Aino"), ("jarvi", "Järvi")]


def test_a_codeable_concept_gives_a_row_per_coding_and_one_for_its_text():
    observation = ObservationFactory(
        code={
            "coding": [{"system": "http://loinc.org", "code": "4548-4", "display": "HbA1c"}, {"code": "x"}],
            "text": "Sokerihemoglobiini",
        }
    )
    rows = rows_of(observation, "fhir_idx_token", "code")
    assert [(r["system"], r["code"], r["text"]) for r in rows] == [
        ("http://loinc.org", "4548-4", "hba1c"),
        ("", "x", ""),
        ("", "", "sokerihemoglobiini"),
    ]


def test_an_identifier_row_carries_its_type_for_of_type():
    patient = PatientFactory(
        identifier=[
            {
                "system": "urn:oid:1.2.246.21",
                "value": "131052-308T",
                "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "NNFIN"}]},
            }
        ]
    )
    (row,) = rows_of(patient, "fhir_idx_token", "identifier")
    assert (row["system"], row["code"], row["type_code"]) == ("urn:oid:1.2.246.21", "131052-308T", "NNFIN")


def test_component_values_of_one_element_share_a_group():
    observation = ObservationFactory(
        component=[
            {"code": {"coding": [{"code": "sys"}]}, "valueQuantity": {"value": 140}},
            {"code": {"coding": [{"code": "dia"}]}, "valueQuantity": {"value": 90}},
            {"code": {"coding": [{"code": "note"}]}},
        ]
    )
    codes = rows_of(observation, "fhir_idx_token", "component-code-value-quantity$0")
    values = rows_of(observation, "fhir_idx_quantity", "component-code-value-quantity$1")
    assert [(r["grp"], r["code"]) for r in codes] == [(1, "sys"), (2, "dia")]
    assert [(r["grp"], r["low"]) for r in values] == [(1, 140), (2, 90)]


def test_dates_are_indexed_as_the_range_their_precision_covers():
    assert date_range_ms("2020") == (1577836800000, 1609459199999)
    assert date_range_ms("2020-02") == (1580515200000, 1583020799999)
    assert date_range_ms("2020-01-01T10:00:00+02:00") == (1577865600000, 1577865600999)
    assert date_range_ms("2020-01-01T08:00:00.123Z") == (1577865600123, 1577865600123)
    assert date_range_ms("2020-13-01") is None


def test_an_open_period_runs_to_the_end_of_time():
    observation = {"resourceType": "Observation", "status": "final", "effectivePeriod": {"start": "2021-06-01"}}
    (row,) = rows_of(observation, "fhir_idx_date", "date")
    assert (row["low"], row["high"]) == (ms("2021-06-01")[0], MAX_MS)


def test_references_keep_type_and_id_when_local_and_the_url_otherwise():
    observation = ObservationFactory(
        subject={"reference": "Patient/p1/_history/3"},
        performer=[
            {"reference": "https://other.example/fhir/Practitioner/d1"},
            {"reference": "#contained"},
            {"identifier": {"system": "urn:oid:1.2.246.537.25", "value": "123"}},
        ],
    )
    subject = rows_of(observation, "fhir_idx_reference", "subject")
    performers = rows_of(observation, "fhir_idx_reference", "performer")
    assert [(r["target_type"], r["target_id"], r["target_version"], r["url"]) for r in subject] == [
        ("Patient", "p1", "3", "")
    ]
    assert [(r["target_type"], r["target_id"], r["url"], r["identifier_value"]) for r in performers] == [
        ("Practitioner", "d1", "https://other.example/fhir/Practitioner/d1", ""),
        ("", "", "#contained", ""),
        ("", "", "", "123"),
    ]


def test_a_quantity_with_a_comparator_is_open_on_that_side():
    observation = ObservationFactory(valueQuantity={"value": 5, "comparator": "<", "code": "mmol/L"})
    (row,) = rows_of(observation, "fhir_idx_quantity", "value-quantity")
    assert (row["low"], row["high"], row["code"]) == (-math.inf, 5, "mmol/L")


def test_last_updated_is_searched_on_the_resource_row_and_needs_no_rows():
    patient = PatientFactory(meta={"lastUpdated": "2026-01-02T03:04:05.678+00:00"})
    assert rows_of(patient, "fhir_idx_date", "_lastUpdated") == []


def test_every_row_fits_its_table(synthea_resources):
    for resource in synthea_resources:
        for table, rows in index_rows(resource).items():
            assert all(len(row) == len(INDEX_TABLES[table]) for row in rows)
