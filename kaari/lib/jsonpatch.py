"""JSON Patch (RFC 6902) and JSON Merge Patch (RFC 7396) over plain Python JSON values."""

from __future__ import annotations

import copy
from typing import Any


class PatchError(ValueError):
    """The patch document is malformed or cannot be applied to the target."""


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _pointer(path: Any) -> list[str]:
    if not isinstance(path, str) or (path and not path.startswith("/")):
        raise PatchError(f"{path!r} is not a JSON pointer")
    return [_unescape(token) for token in path.split("/")[1:]] if path else []


def _index(container: list[Any], token: str, *, for_insert: bool) -> int:
    if for_insert and token == "-":
        return len(container)
    if not token.isdigit() or (len(token) > 1 and token.startswith("0")):
        raise PatchError(f"{token!r} is not an array index")
    index = int(token)
    limit = len(container) if for_insert else len(container) - 1
    if index > limit:
        raise PatchError(f"array index {index} is out of range")
    return index


def _parent(document: Any, tokens: list[str]) -> Any:
    node = document
    for token in tokens[:-1]:
        if isinstance(node, dict):
            if token not in node:
                raise PatchError(f"path segment {token!r} does not exist")
            node = node[token]
        elif isinstance(node, list):
            node = node[_index(node, token, for_insert=False)]
        else:
            raise PatchError(f"path segment {token!r} is inside a scalar")
    return node


def _get(document: Any, tokens: list[str]) -> Any:
    if not tokens:
        return document
    parent = _parent(document, tokens)
    last = tokens[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise PatchError(f"member {last!r} does not exist")
        return parent[last]
    if isinstance(parent, list):
        return parent[_index(parent, last, for_insert=False)]
    raise PatchError(f"member {last!r} is inside a scalar")


def _add(document: Any, tokens: list[str], value: Any) -> Any:
    if not tokens:
        return value
    parent = _parent(document, tokens)
    last = tokens[-1]
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        parent.insert(_index(parent, last, for_insert=True), value)
    else:
        raise PatchError(f"cannot add {last!r} inside a scalar")
    return document


def _remove(document: Any, tokens: list[str]) -> Any:
    if not tokens:
        raise PatchError("cannot remove the whole document")
    parent = _parent(document, tokens)
    last = tokens[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise PatchError(f"member {last!r} does not exist")
        del parent[last]
    elif isinstance(parent, list):
        del parent[_index(parent, last, for_insert=False)]
    else:
        raise PatchError(f"cannot remove {last!r} inside a scalar")
    return document


def json_patch_apply(document: Any, operations: Any) -> Any:
    """A patched copy of `document`; the original is untouched, and nothing changes if any operation fails."""
    if not isinstance(operations, list):
        raise PatchError("a JSON Patch document is an array of operations")
    result = copy.deepcopy(document)
    for number, operation in enumerate(operations):
        if not isinstance(operation, dict) or "op" not in operation or "path" not in operation:
            raise PatchError(f"operation {number} needs 'op' and 'path'")
        op = operation["op"]
        path = _pointer(operation["path"])
        try:
            if op == "add":
                result = _add(result, path, copy.deepcopy(_required(operation, "value")))
            elif op == "remove":
                result = _remove(result, path)
            elif op == "replace":
                _get(result, path)
                result = _add(_remove(result, path), path, copy.deepcopy(_required(operation, "value")))
            elif op == "move":
                source = _pointer(operation.get("from"))
                if path[: len(source)] == source and len(path) > len(source):
                    raise PatchError("cannot move a value into itself")
                value = _get(result, source)
                result = _add(_remove(result, source), path, value)
            elif op == "copy":
                value = copy.deepcopy(_get(result, _pointer(operation.get("from"))))
                result = _add(result, path, value)
            elif op == "test":
                if _get(result, path) != _required(operation, "value"):
                    raise PatchError(f"test failed at {operation['path']}")
            else:
                raise PatchError(f"unknown operation {op!r}")
        except PatchError as exc:
            raise PatchError(f"operation {number} ({op} {operation['path']}): {exc}") from exc
    return result


def _required(operation: dict[str, Any], key: str) -> Any:
    if key not in operation:
        raise PatchError(f"'{operation.get('op')}' needs '{key}'")
    return operation[key]


def merge_patch_apply(document: Any, patch: Any) -> Any:
    """RFC 7396: objects merge recursively, null removes, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(document) if isinstance(document, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch_apply(result.get(key), value)
    return result
