"""Domain errors of the store. The REST edge turns each into an OperationOutcome with its HTTP status."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One OperationOutcome issue: what went wrong and where (a FHIRPath expression)."""

    code: str
    diagnostics: str
    expression: str | None = None
    severity: str = "error"


class StoreError(Exception):
    status = 400
    code = "processing"

    def __init__(self, message: str, *, issues: list[Issue] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.issues = issues or [Issue(code=self.code, diagnostics=message)]


class InvalidResource(StoreError):
    """The resource breaks the R4 structure rules; `issues` say where."""

    status = 400
    code = "invalid"


class InvalidRequest(StoreError):
    status = 400
    code = "invalid"


class UnprocessableResource(StoreError):
    """Well-formed, but Kaari will not store it (e.g. a type whose behaviour is not implemented)."""

    status = 422
    code = "business-rule"


class ResourceNotFound(StoreError):
    status = 404
    code = "not-found"


class ResourceGone(StoreError):
    status = 410
    code = "deleted"


class VersionConflict(StoreError):
    """If-Match named another version than the current one."""

    status = 412
    code = "conflict"


class ResourceConflict(StoreError):
    status = 409
    code = "conflict"


class MultipleMatches(StoreError):
    """A conditional interaction matched more than one resource."""

    status = 412
    code = "multiple-matches"


class AccessDenied(StoreError):
    status = 403
    code = "forbidden"


class NotSupported(StoreError):
    status = 501
    code = "not-supported"
