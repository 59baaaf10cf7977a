"""How fast the validator checks typical resources: the Synthea R4 bundles, one core, no I/O.

    python -m benchmarks.validation [DIR] [--rounds N]

Parses every bundle once, then validates every entry's resource N times and prints resources per second.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import orjson

from kaari.fhir.validation import validate_resource

DEFAULT_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "synthea-r4"


def resources_load(directory: Path) -> list[dict[str, Any]]:
    resources: list[dict[str, Any]] = []
    for path in sorted(directory.glob("*.json")):
        bundle = orjson.loads(path.read_bytes())
        resources.extend(entry["resource"] for entry in bundle.get("entry", []))
    return resources


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    resources = resources_load(args.directory)
    started = time.perf_counter()
    validate_resource({"resourceType": "Patient"})
    print(f"compiling the definitions: {(time.perf_counter() - started) * 1000:.0f} ms (once per process)")
    invalid = sum(1 for resource in resources if validate_resource(resource))
    best = float("inf")
    for _ in range(args.rounds):
        started = time.perf_counter()
        for resource in resources:
            validate_resource(resource)
        best = min(best, time.perf_counter() - started)
    print(f"{len(resources)} resources, {invalid} invalid")
    print(f"{len(resources) / best:,.0f} resources/s (best of {args.rounds} rounds, one core)")


if __name__ == "__main__":
    main()
