"""What a CDS Hooks request can do wrong, each with the HTTP status the edge answers with."""

from __future__ import annotations


class CdsError(Exception):
    status = 400
    code = "bad-request"

    def __init__(self, message: str, *, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def to_json(self) -> dict[str, str]:
        body = {"error": self.code, "message": self.message}
        if self.where:
            body["where"] = self.where
        return body


class BadCdsRequest(CdsError):
    """The body breaks the CDS Hooks 2.0 request rules (400)."""


class UnknownService(CdsError):
    status = 404
    code = "unknown-service"


class DataUnavailable(CdsError):
    """The service cannot get the data it needs, from prefetch or from Kaari's store (412, as the spec says)."""

    status = 412
    code = "data-unavailable"


class CdsAccessDenied(CdsError):
    status = 403
    code = "forbidden"
