"""A CDS Hooks 2.0 feedback body (POST {baseUrl}/cds-services/{id}/feedback), validated at the edge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kaari.cds.errors import BadCdsRequest

OUTCOMES = ("accepted", "overridden")


@dataclass(frozen=True)
class OverrideReason:
    system: str = ""
    code: str = ""
    display: str = ""
    user_comment: str = ""


@dataclass(frozen=True)
class FeedbackItem:
    card: str
    outcome: str
    outcome_at: datetime
    accepted_suggestions: tuple[str, ...] = ()
    override: OverrideReason | None = None


def _instant(value: Any, where: str) -> datetime:
    if not isinstance(value, str):
        raise BadCdsRequest("outcomeTimestamp must be an ISO 8601 instant", where=where)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise BadCdsRequest(f"outcomeTimestamp {value!r} is not an ISO 8601 instant", where=where) from exc
    if moment.tzinfo is None:
        raise BadCdsRequest("outcomeTimestamp needs a time zone (e.g. Z or +02:00)", where=where)
    return moment


def _override(value: Any, where: str) -> OverrideReason:
    if not isinstance(value, dict):
        raise BadCdsRequest("overrideReason must be an object", where=where)
    comment = value.get("userComment", "")
    if not isinstance(comment, str):
        raise BadCdsRequest("overrideReason.userComment must be a string", where=f"{where}.userComment")
    reason = value.get("reason")
    if reason is None:
        if not comment.strip():
            raise BadCdsRequest("overrideReason needs a reason Coding or a userComment", where=where)
        return OverrideReason(user_comment=comment)
    if not isinstance(reason, dict) or not isinstance(reason.get("code"), str) or not reason["code"]:
        raise BadCdsRequest("overrideReason.reason must be a Coding with a code", where=f"{where}.reason")
    system, display = reason.get("system", ""), reason.get("display", "")
    if not isinstance(system, str) or not isinstance(display, str):
        raise BadCdsRequest("overrideReason.reason system and display are strings", where=f"{where}.reason")
    return OverrideReason(system=system, code=reason["code"], display=display, user_comment=comment)


def feedback_parse(*, body: Any) -> list[FeedbackItem]:
    if not isinstance(body, dict) or not isinstance(body.get("feedback"), list) or not body["feedback"]:
        raise BadCdsRequest('The body must be {"feedback": [ ... ]} with at least one item', where="feedback")
    items = []
    for index, raw in enumerate(body["feedback"]):
        where = f"feedback[{index}]"
        if not isinstance(raw, dict):
            raise BadCdsRequest("each feedback item must be an object", where=where)
        card = raw.get("card")
        if not isinstance(card, str) or not card:
            raise BadCdsRequest("card must be the uuid of a card the service returned", where=f"{where}.card")
        outcome = raw.get("outcome")
        if outcome not in OUTCOMES:
            raise BadCdsRequest("outcome must be 'accepted' or 'overridden'", where=f"{where}.outcome")
        moment = _instant(raw.get("outcomeTimestamp"), f"{where}.outcomeTimestamp")
        accepted: tuple[str, ...] = ()
        override = None
        if outcome == "accepted":
            suggestions = raw.get("acceptedSuggestions")
            if not isinstance(suggestions, list) or not suggestions:
                raise BadCdsRequest(
                    "an accepted outcome names its acceptedSuggestions", where=f"{where}.acceptedSuggestions"
                )
            if not all(isinstance(s, dict) and isinstance(s.get("id"), str) for s in suggestions):
                raise BadCdsRequest(
                    'acceptedSuggestions items are {"id": <suggestion uuid>}', where=f"{where}.acceptedSuggestions"
                )
            accepted = tuple(s["id"] for s in suggestions)
            if "overrideReason" in raw:
                raise BadCdsRequest("an accepted card has no overrideReason", where=f"{where}.overrideReason")
        elif "overrideReason" in raw:
            override = _override(raw["overrideReason"], f"{where}.overrideReason")
        elif raw.get("acceptedSuggestions"):
            raise BadCdsRequest("an overridden card has no acceptedSuggestions", where=f"{where}.acceptedSuggestions")
        items.append(FeedbackItem(card, outcome, moment, accepted, override))
    return items
