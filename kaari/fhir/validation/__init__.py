"""Validation of FHIR R4 resources against the official structure definitions.

    issues = validate_resource(resource)

See README.md in this folder for what is and is not checked.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from .issues import IssueList, TooManyIssues, ValidationIssue
from .walk import MAX_DEPTH, walk_resource

__all__ = ["MAX_DEPTH", "MAX_ERRORS", "ValidationIssue", "validate_resource"]

# Enough to explain a rejection; more would only let hostile input grow the OperationOutcome.
MAX_ERRORS = 100


def validate_resource(resource: dict[str, Any]) -> list[ValidationIssue]:
    """Every problem found in `resource` (parsed FHIR JSON); the resource is invalid if any has severity error."""
    issues = IssueList(MAX_ERRORS)
    with suppress(TooManyIssues):
        walk_resource(resource, "", 0, issues)
    return issues.issues
