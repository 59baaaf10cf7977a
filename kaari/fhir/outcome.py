"""OperationOutcome resources, built from the store's issues."""

from __future__ import annotations

from typing import Any

from kaari.fhir.store.errors import Issue, StoreError


def outcome_from_issues(issues: list[Issue]) -> dict[str, Any]:
    rendered = []
    for issue in issues:
        item: dict[str, Any] = {"severity": issue.severity, "code": issue.code, "diagnostics": issue.diagnostics}
        if issue.expression:
            item["expression"] = [issue.expression]
        rendered.append(item)
    return {"resourceType": "OperationOutcome", "issue": rendered}


def outcome_from_error(exc: StoreError) -> dict[str, Any]:
    return outcome_from_issues(exc.issues)


def outcome_information(text: str) -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "information", "code": "informational", "diagnostics": text}],
    }
