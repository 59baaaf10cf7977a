"""A region's own laboratory knowledge, merged over the shipped defaults.

The file named by KAARI_LAB_REGIONAL_FILE may change or disable retesting intervals (each change
cites the region's own decision), add intervals, set prices from the region's price list and map
the sending laboratories' local codes to catalogue tests. See kaari/labs/README.md.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kaari.labs.catalogue import KnowledgeSource, Price


class RegionalInterval(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9\-]*$")
    # Needed only for a new rule; an existing rule keeps its analytes.
    analytes: list[str] | None = None
    interval: str
    acute_interval: str | None = None
    source: str
    reference: str = Field(min_length=1)
    guidance: str = Field(min_length=1)


class RegionalFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["kaari-lab-regional"]
    region: str = Field(min_length=1)
    version: str
    date: str
    sources: dict[str, KnowledgeSource] = Field(default_factory=dict)
    intervals: list[RegionalInterval] = Field(default_factory=list)
    disable_intervals: list[str] = Field(default_factory=list)
    prices: dict[str, Price] = Field(default_factory=dict)
    hl7_local_codes: dict[str, dict[str, str]] = Field(default_factory=dict)


class RegionalError(ValueError):
    """The regional file cannot be merged; the message says which entry and why."""


def regional_file_read(*, path: Path) -> RegionalFile:
    with path.open(encoding="utf-8") as handle:
        return RegionalFile.model_validate(json.load(handle))


def regional_merge(
    *, catalogue_raw: dict[str, Any], intervals_raw: dict[str, Any], regional: RegionalFile
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The shipped files with the region's changes applied. Both results still go through the checker."""
    catalogue = copy.deepcopy(catalogue_raw)
    intervals = copy.deepcopy(intervals_raw)
    for key, source in regional.sources.items():
        if key in intervals["sources"] or key in catalogue["sources"]:
            raise RegionalError(f"regional source {key!r} reuses the name of a shipped source")
        intervals["sources"][key] = source.model_dump(exclude_none=True)
        catalogue["sources"][key] = source.model_dump(exclude_none=True)

    rules = {rule["id"]: rule for rule in intervals["rules"]}
    for rule_id in regional.disable_intervals:
        if rule_id not in rules:
            raise RegionalError(f"disable_intervals: no shipped rule {rule_id!r}")
        del rules[rule_id]
    for change in regional.intervals:
        fields = change.model_dump(exclude_none=True)
        if change.id in rules:
            fields.pop("analytes", None)
            merged = {**rules[change.id], **fields}
            if change.acute_interval is None:
                # A regional interval replaces the whole citation; a shipped acute interval no longer applies.
                merged.pop("acute_interval", None)
            rules[change.id] = merged
        elif change.analytes:
            rules[change.id] = fields
        else:
            raise RegionalError(f"intervals: new rule {change.id!r} must list its analytes")
    intervals["rules"] = list(rules.values())
    intervals["version"] = f"{intervals['version']}+{regional.region}.{regional.version}"

    orderables = {item["id"]: item for item in [*catalogue["tests"], *catalogue["panels"]]}
    for orderable_id, price in regional.prices.items():
        if orderable_id not in orderables:
            raise RegionalError(f"prices: no test or panel {orderable_id!r} in the catalogue")
        orderables[orderable_id]["price"] = price.model_dump()
    for coding_system, codes in regional.hl7_local_codes.items():
        catalogue["hl7_local_codes"].setdefault(coding_system, {}).update(codes)
    catalogue["version"] = f"{catalogue['version']}+{regional.region}.{regional.version}"
    return catalogue, intervals
