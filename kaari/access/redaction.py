"""Turvakielto: a protected client's address, telecom and home municipality leave no trace in a response."""

from __future__ import annotations

from typing import Any

from kaari.access.relationships import MUNICIPALITY_EXTENSION
from kaari.fhir.conventions import FI_SECURITY_LABEL_SYSTEM, TURVAKIELTO

_MARKER = TURVAKIELTO.encode()


def has_turvakielto(resource: dict[str, Any]) -> bool:
    return any(
        label.get("system") == FI_SECURITY_LABEL_SYSTEM and label.get("code") == TURVAKIELTO
        for label in (resource.get("meta") or {}).get("security") or ()
    )


def may_have_turvakielto(resource_type: str, body: bytes) -> bool:
    """A cheap test on the stored bytes: False means certainly no turvakielto to apply."""
    return resource_type == "Patient" and _MARKER in body


def turvakielto_redact(resource: dict[str, Any]) -> dict[str, Any]:
    """The Patient without address, telecom, home municipality, or its contacts' addresses and telecom.

    The elements are removed, not masked: nothing in their place hints at where the client lives. The
    security label stays, as the marker that the client is protected.
    """
    if resource.get("resourceType") != "Patient" or not has_turvakielto(resource):
        return resource
    redacted = {k: v for k, v in resource.items() if k not in ("address", "telecom")}
    extensions = [e for e in resource.get("extension") or () if e.get("url") != MUNICIPALITY_EXTENSION]
    if extensions:
        redacted["extension"] = extensions
    else:
        redacted.pop("extension", None)
    if resource.get("contact"):
        redacted["contact"] = [
            {k: v for k, v in contact.items() if k not in ("address", "telecom")} for contact in resource["contact"]
        ]
    return redacted
