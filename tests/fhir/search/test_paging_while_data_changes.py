from kaari.fhir.search.service import SearchRequest
from kaari.fhir.store import Store, TrustedGate
from tests.factories import ObservationFactory


def page(store, params):
    return store.search(SearchRequest(("Observation",), tuple(params))).result


def dates(result):
    return [s.resource["effectiveDateTime"] for s in result.matches]


def test_the_next_page_neither_repeats_nor_skips_when_rows_are_added_and_removed(db):
    store = Store(TrustedGate())
    stored = {
        d: store.create(ObservationFactory(effectiveDateTime=d)).stored
        for d in ["2020", "2021", "2022", "2023", "2024", "2025"]
    }
    params = [("_sort", "date"), ("_count", "3")]
    first = page(store, params)
    assert dates(first) == ["2020", "2021", "2022"]
    # Meanwhile: one row before the cursor appears, one already seen and one still ahead disappear.
    store.create(ObservationFactory(effectiveDateTime="2019"))
    store.delete("Observation", stored["2021"].id)
    store.delete("Observation", stored["2024"].id)
    assert first.next_cursor is not None
    second = page(store, [*params, ("_cursor", first.next_cursor.encode())])
    assert dates(second) == ["2023", "2025"]
    assert second.next_cursor is None


def test_the_previous_link_leads_back_to_the_same_rows(db):
    store = Store(TrustedGate())
    for year in range(2015, 2022):
        store.create(ObservationFactory(effectiveDateTime=str(year)))
    params = [("_sort", "-date"), ("_count", "2")]
    first = page(store, params)
    second = page(store, [*params, ("_cursor", first.next_cursor.encode())])
    assert second.previous_cursor is not None
    back = page(store, [*params, ("_cursor", second.previous_cursor.encode())])
    assert dates(back) == dates(first) == ["2021", "2020"]
    assert back.previous_cursor is None
