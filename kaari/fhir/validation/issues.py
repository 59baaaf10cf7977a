"""What the validator reports, shaped for an OperationOutcome issue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

# Codes from http://hl7.org/fhir/ValueSet/issue-type used here.
STRUCTURE = "structure"
REQUIRED = "required"
VALUE = "value"
CODE_INVALID = "code-invalid"
INVALID = "invalid"
TOO_COSTLY = "too-costly"


@dataclass(frozen=True, slots=True)
class ValidationIssue:
    severity: Severity
    code: str
    expression: str  # FHIRPath-like location, e.g. Patient.contact[0].name.family
    diagnostics: str


class TooManyIssues(Exception):
    """Raised inside the walk once enough has been found to reject the resource."""


class IssueList:
    """Collects issues and stops the walk after `limit` errors, so hostile input cannot grow the report."""

    __slots__ = ("issues", "limit")

    def __init__(self, limit: int) -> None:
        self.issues: list[ValidationIssue] = []
        self.limit = limit

    def error(self, code: str, expression: str, diagnostics: str) -> None:
        self.issues.append(ValidationIssue("error", code, expression, diagnostics))
        if len(self.issues) >= self.limit:
            self.issues.append(
                ValidationIssue(
                    "error",
                    TOO_COSTLY,
                    expression,
                    f"Validation stopped after {self.limit} errors; the rest of the resource was not checked.",
                )
            )
            raise TooManyIssues
