"""The few R4 invariants checked by hand, where they are cheap and guard the store against malformed content.

The other invariants (FHIRPath `constraint` expressions in the definitions) are not evaluated; see README.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .issues import INVALID, IssueList

Invariant = Callable[[dict[str, Any], str, IssueList], None]


def extension_value_or_children(obj: dict[str, Any], path: str, issues: IssueList) -> None:
    """ext-1: "Must have either extensions or value[x], not both" (extension.exists() != value.exists())."""
    has_value = False
    for key in obj:
        if key.startswith("value") or key.startswith("_value"):
            has_value = True
            break
    if has_value == ("extension" in obj):
        which = "both extensions and a value" if has_value else "neither extensions nor a value"
        issues.error(INVALID, path, f"An extension must have either extensions or a value[x], not {which} (ext-1)")


INVARIANTS: dict[str, Invariant] = {"Extension": extension_value_or_children}
