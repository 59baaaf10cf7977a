"""Index extraction speed: `index_rows` and `patient_compartments` over the shared Synthea resources, per core.

    python -m benchmarks.search_index

CPU time of this process is measured, so other load on the machine does not count against it.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from benchmarks.support import SYNTHEA


def resources_read() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for path in sorted(SYNTHEA.glob("*.json")):
        bundle = json.loads(path.read_text())
        local = {e["fullUrl"]: f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in bundle["entry"]}
        text = json.dumps([e["resource"] for e in bundle["entry"]])
        for full_url, reference in local.items():
            text = text.replace(f'"{full_url}"', f'"{reference}"')
        for resource in json.loads(text):
            resource.setdefault("meta", {}).update(versionId="1", lastUpdated="2026-01-02T03:04:05.678+00:00")
            found.append(resource)
    return found


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaari.settings")
    from kaari.fhir.search.indexing import index_rows, patient_compartments

    resources = resources_read()
    for resource in resources:
        index_rows(resource)
    passes, rows = 5, 0
    started = time.process_time()
    for _ in range(passes):
        for resource in resources:
            rows += sum(len(r) for r in index_rows(resource).values())
            patient_compartments(resource)
    seconds = time.process_time() - started
    count = passes * len(resources)
    print(f"{count / seconds:,.0f} resources/s on one core, {rows / count:.1f} index rows per resource")


if __name__ == "__main__":
    main()
