"""CDS Hooks 2.0 response objects (https://cds-hooks.hl7.org/2.0/#cds-service-response)."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Indicator = Literal["info", "warning", "critical"]
SelectionBehavior = Literal["at-most-one", "any"]


class Coding(BaseModel):
    model_config = ConfigDict(frozen=True)

    system: str
    code: str
    display: str | None = None


class Source(BaseModel):
    """Where a card's knowledge comes from. Every Kaari rule cites one."""

    model_config = ConfigDict(frozen=True)

    label: str = Field(min_length=1)
    url: str | None = None
    icon: str | None = None
    topic: Coding | None = None


class Action(BaseModel):
    model_config = ConfigDict(frozen=True)

    type: Literal["create", "update", "delete"]
    description: str = Field(min_length=1)
    resource: dict[str, Any] | None = None
    resourceId: str | None = None


class Suggestion(BaseModel):
    model_config = ConfigDict(frozen=True)

    label: str = Field(min_length=1)
    uuid: str = Field(default_factory=lambda: str(uuid.uuid4()))
    isRecommended: bool | None = None
    actions: list[Action] = Field(default_factory=list)


class Link(BaseModel):
    model_config = ConfigDict(frozen=True)

    label: str
    url: str
    type: Literal["absolute", "smart"] = "absolute"
    appContext: str | None = None


class Card(BaseModel):
    """One finding. `summary` is at most 140 characters, as the specification requires."""

    model_config = ConfigDict(frozen=True)

    summary: str = Field(min_length=1, max_length=140)
    indicator: Indicator
    source: Source
    uuid: str = Field(default_factory=lambda: str(uuid.uuid4()))
    detail: str | None = None
    suggestions: list[Suggestion] = Field(default_factory=list)
    selectionBehavior: SelectionBehavior | None = None
    overrideReasons: list[Coding] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    # Not part of the wire format: which rule produced the card, for feedback and reports.
    rule_id: str = Field(default="", exclude=True)

    @field_validator("summary")
    @classmethod
    def _summary_is_one_line(cls, value: str) -> str:
        if "\n" in value:
            raise ValueError("summary must be one line")
        return value

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True, exclude_defaults=False)
