"""Kaari's own WSGI application (the lean API handler for /fhir) with the bare comparison view on the same
lean handler, so that both sides of the comparison pass the same middleware."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.gate_settings")

from typing import Any  # noqa: E402

from kaari.wsgi import KaariApplication, StartResponse  # noqa: E402


class BenchApplication(KaariApplication):
    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Any:
        if environ.get("PATH_INFO", "").startswith("/bare/"):
            return self.api(environ, start_response)
        return super().__call__(environ, start_response)


application = BenchApplication()
