"""Kaari's WSGI application with the access gate taken out, for measuring the store and REST layers alone.

The issue's read-by-id target is measured "before the access gate". This module exists only for that
measurement: it swaps the REST entry point's authentication and gate for the store's allow-all gate, in the
benchmark's own server process. Nothing in Kaari imports it.
"""

from __future__ import annotations

import os
from typing import Any

import django

# The benchmark settings add the bare reference views (benchmarks/gate_urls.py) beside Kaari's own URLs.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.gate_settings")
django.setup(set_prefix=False)

from benchmarks.gate_wsgi import application  # noqa: E402
from kaari.fhir.rest import views  # noqa: E402
from kaari.fhir.store import TrustedGate  # noqa: E402


class UngatedGate(TrustedGate):
    scope = None

    def scope_close(self, *, status: int) -> None:
        return None


def _principal(request: Any) -> Any:
    return views.ANONYMOUS


def _gate(request: Any, principal: Any) -> UngatedGate:
    return UngatedGate()


views.bearer_principal = _principal
views.request_gate = _gate  # type: ignore[assignment]

__all__ = ["application"]
