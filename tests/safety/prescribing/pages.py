"""The prescribing screens' URL patterns with one request each, for the every-entry-point logging check
(tests/access/test_every_entry_point_logs.py) and the proof that each writes its access log entry."""

from __future__ import annotations

_BASE = "clients/<str:patient_id>/medications/"
ORDER = "aino-mr-logged"

# pattern: (method, path, form data, whether the request touches client data)
PRESCRIBING_REQUESTS: dict[str, tuple[str, str, dict[str, str], bool]] = {
    _BASE: ("GET", "/clients/aino/medications/", {}, True),
    _BASE + "search": ("GET", "/clients/aino/medications/search?q=klari", {}, False),
    _BASE + "new": ("GET", "/clients/aino/medications/new?product=J01FA09-tabletti-500-mg", {}, True),
    _BASE + "sign": ("POST", "/clients/aino/medications/sign", {}, True),
    _BASE + "suggestions": ("POST", "/clients/aino/medications/suggestions", {"card": "x", "suggestion": "0"}, True),
    _BASE + "drafts/<str:draft_id>/remove": ("POST", "/clients/aino/medications/drafts/nothing/remove", {}, True),
    _BASE + "<str:order_id>/stop": ("GET", f"/clients/aino/medications/{ORDER}/stop", {}, True),
    _BASE + "<str:order_id>/continue": ("POST", f"/clients/aino/medications/{ORDER}/continue", {}, True),
    _BASE + "<str:order_id>/change": ("GET", f"/clients/aino/medications/{ORDER}/change", {}, True),
}
PRESCRIBING_URLS = set(PRESCRIBING_REQUESTS)
