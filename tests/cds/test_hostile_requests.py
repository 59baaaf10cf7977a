"""Whatever JSON arrives, a service answers 200, 400 or 412 in its JSON shape: never a server error."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cds.hook_requests import order_sign
from tests.safety.charts import medication_draft

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
PATHS = (
    ("hook",),
    ("hookInstance",),
    ("context",),
    ("context", "userId"),
    ("context", "patientId"),
    ("context", "draftOrders"),
    ("context", "draftOrders", "entry"),
    ("prefetch",),
    ("fhirAuthorization",),
)


def body_with(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    body = order_sign(patient_id="p-1", drafts=[medication_draft("p-1", "M01AE01", draft_id="d-1")])
    body = copy.deepcopy(body)
    target = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return body


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(PATHS), value=JSON)
def test_any_value_in_any_field_is_answered_without_a_server_error(kaari, path, value):
    response = kaari.call("medication-safety", body_with(path, value))

    assert response.status_code in (200, 400, 412), response.content
    assert response["Content-Type"] == "application/json"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=JSON)
def test_any_json_body_is_answered_without_a_server_error(kaari, value):
    assert kaari.call("medication-safety", value).status_code in (200, 400, 412)
    assert kaari.feedback("medication-safety", value).status_code == 400
