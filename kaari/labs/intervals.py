"""Minimum retesting intervals: one cited rule per analyte group, from published guidance."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kaari.labs.catalogue import KnowledgeSource

INTERVALS_PATH = Path(__file__).parent / "knowledge" / "retesting_intervals.json"
_DURATION = re.compile(r"^(\d+)([hd])$")


def duration_parse(*, text: str) -> timedelta:
    """'24h' or '90d'. Hours and days are the units the guidance itself uses."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"interval {text!r} is not a number of hours (h) or days (d), e.g. '24h' or '90d'")
    amount, unit = int(match.group(1)), match.group(2)
    if amount <= 0:
        raise ValueError(f"interval {text!r} must be positive")
    return timedelta(hours=amount) if unit == "h" else timedelta(days=amount)


def duration_text(*, delta: timedelta) -> str:
    """Finnish wording for a card: '24 tuntia', '60 vrk'."""
    hours = int(delta.total_seconds() // 3600)
    if hours < 48:
        return f"{hours} tuntia"
    return f"{delta.days} vrk"


class IntervalRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9\-]*$")
    analytes: list[str] = Field(min_length=1)
    interval: str
    acute_interval: str | None = None
    source: str
    reference: str = Field(min_length=1)
    guidance: str = Field(min_length=1)

    @field_validator("interval", "acute_interval")
    @classmethod
    def _interval_is_a_duration(cls, value: str | None) -> str | None:
        if value is not None:
            duration_parse(text=value)
        return value

    def interval_for(self, *, setting: Literal["ambulatory", "acute"]) -> timedelta:
        if setting == "acute" and self.acute_interval:
            return duration_parse(text=self.acute_interval)
        return duration_parse(text=self.interval)


class IntervalsFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["kaari-lab-retesting-intervals"]
    version: str
    date: str
    description: str
    sources: dict[str, KnowledgeSource]
    rules: list[IntervalRule]


class RetestingIntervals:
    def __init__(self, *, data: IntervalsFile) -> None:
        self.data = data
        self.rules = {rule.id: rule for rule in data.rules}
        self._rule_by_analyte = {analyte: rule for rule in data.rules for analyte in rule.analytes}

    def rule_for_analyte(self, analyte: str) -> IntervalRule | None:
        return self._rule_by_analyte.get(analyte)

    def source_of(self, rule: IntervalRule) -> KnowledgeSource:
        return self.data.sources[rule.source]


def intervals_file_read(*, path: Path = INTERVALS_PATH) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def intervals_build(*, raw: Mapping[str, Any]) -> RetestingIntervals:
    return RetestingIntervals(data=IntervalsFile.model_validate(raw))
