"""Writes a resource stream as FHIR NDJSON, one file per resource type (`Patient.ndjson`, ...)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import orjson


def ndjson_write(*, resources: Iterable[dict[str, Any]], directory: Path) -> Counter[str]:
    """Lines appear in generation order and orjson writes keys in insertion order, so equal input gives equal bytes."""
    directory.mkdir(parents=True, exist_ok=True)
    handles: dict[str, IO[bytes]] = {}
    counts: Counter[str] = Counter()
    try:
        for resource in resources:
            kind = resource["resourceType"]
            handle = handles.get(kind)
            if handle is None:
                handle = handles[kind] = (directory / f"{kind}.ndjson").open("wb")
            handle.write(orjson.dumps(resource))
            handle.write(b"\n")
            counts[kind] += 1
    finally:
        for handle in handles.values():
            handle.close()
    return counts
