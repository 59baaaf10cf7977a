"""Fast JSON for request and response bodies (orjson), with one error type for bad input."""

from __future__ import annotations

from typing import Any

import orjson


class JsonError(ValueError):
    """The bytes are not a JSON document Kaari accepts."""


def json_loads(data: bytes | str) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise JsonError(f"malformed JSON: {exc}") from exc
    except RecursionError as exc:
        raise JsonError("JSON document is nested too deeply") from exc


def json_dumps(value: Any) -> bytes:
    return orjson.dumps(value)


def json_dumps_pretty(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_INDENT_2)
