"""A resource the gate's restriction excludes never appears and is never counted, whichever way it is reached."""

from __future__ import annotations

from typing import Any

import pytest

from kaari.fhir.search.service import SearchRequest
from kaari.fhir.store import SqlRestriction, Store, TrustedGate
from tests.factories import ObservationFactory, PatientFactory

SOCIAL = {"system": "https://kaari.fi/fhir/CodeSystem/register", "code": "social-welfare"}


class HealthCareOnlyGate(TrustedGate):
    """Sees everything except the social-welfare register (the access app's gates are richer)."""

    def restriction(self, resource_type: str | None, *, patient: str | None = None) -> SqlRestriction | None:
        return SqlRestriction("r.register <> %s", ("social-welfare",))


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    trusted = Store(TrustedGate())
    visible = trusted.create(PatientFactory(name=[{"family": "Näkyvä"}])).stored
    hidden = trusted.create(PatientFactory(name=[{"family": "Piilo"}], meta={"security": [SOCIAL]})).stored
    seen_obs = trusted.create(ObservationFactory(subject={"reference": f"Patient/{visible.id}"})).stored
    hidden_obs = trusted.create(
        ObservationFactory(subject={"reference": f"Patient/{visible.id}"}, meta={"security": [SOCIAL]})
    ).stored
    obs_of_hidden = trusted.create(ObservationFactory(subject={"reference": f"Patient/{hidden.id}"})).stored
    return {
        "visible": visible,
        "hidden": hidden,
        "seen_obs": seen_obs,
        "hidden_obs": hidden_obs,
        "obs_of_hidden": obs_of_hidden,
    }


def search(resource_type: str, *params: tuple[str, str], compartment: tuple[str, str] | None = None) -> Any:
    store = Store(HealthCareOnlyGate())
    return store.search(SearchRequest((resource_type,), params, compartment=compartment)).result


def ids(result: Any) -> set[str]:
    return {s.id for s in [*result.matches, *result.included]}


def test_matches_and_totals_leave_it_out(world):
    result = search("Observation", ("_total", "accurate"))
    assert ids(result) == {world["seen_obs"].id, world["obs_of_hidden"].id}
    assert result.total == 2
    assert search("Observation", ("_summary", "count")).total == 2


def test_includes_and_revincludes_leave_it_out(world):
    included = search("Observation", ("_id", world["obs_of_hidden"].id), ("_include", "Observation:subject"))
    assert ids(included) == {world["obs_of_hidden"].id}
    revincluded = search("Patient", ("_id", world["visible"].id), ("_revinclude", "Observation:subject"))
    assert ids(revincluded) == {world["visible"].id, world["seen_obs"].id}


def test_chains_and_has_cannot_see_through_it(world):
    assert ids(search("Observation", ("subject:Patient.name", "piilo"))) == set()
    assert ids(search("Patient", ("_has:Observation:subject:_id", world["hidden_obs"].id))) == set()


def test_compartment_search_and_everything_leave_it_out(world):
    in_compartment = search("Observation", compartment=("Patient", world["visible"].id))
    assert ids(in_compartment) == {world["seen_obs"].id}
    everything = Store(HealthCareOnlyGate()).everything(world["visible"].id, SearchRequest(("Patient",), ()))
    assert ids(everything.result) == {world["visible"].id, world["seen_obs"].id}
