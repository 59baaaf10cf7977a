"""The official R4 examples (hl7.fhir.r4.examples 4.0.1) used by the acceptance tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scripts.examples_check import example_files

PACKAGE = Path(__file__).resolve().parents[2] / "cache" / "hl7.fhir.r4.examples" / "package"
MISSING_REASON = "run `python -m scripts.fetch_fhir_package` (CI does) to fetch the official examples"


def examples() -> list[tuple[str, dict[str, Any]]]:
    """The 706 non-definition examples, by file name."""
    return [(path.name, json.loads(path.read_text())) for path in example_files(PACKAGE)]
