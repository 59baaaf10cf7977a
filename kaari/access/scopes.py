"""SMART on FHIR scopes: `patient/*.read`, `user/Observation.write`, `system/*.*`, and the v2 forms
`patient/Observation.rs`, `user/*.cruds`.

Scopes only ever narrow: the gate decides who may see what; scopes cap it per resource type and operation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_SCOPE = re.compile(r"^(patient|user|system)/(\*|[A-Z][A-Za-z]+)\.(\*|read|write|[cruds]+)(\?.*)?$")

READ = "read"
WRITE = "write"
# What each v2 letter grants, in v1 terms. Search ('s') counts as reading.
_V2 = {"c": WRITE, "u": WRITE, "d": WRITE, "r": READ, "s": READ}


@dataclass(frozen=True)
class Scope:
    context: str  # patient | user | system
    resource_type: str  # a type or "*"
    operations: frozenset[str]  # {"read"}, {"write"} or both

    def allows(self, resource_type: str, operation: str) -> bool:
        return self.resource_type in ("*", resource_type) and operation in self.operations

    def __str__(self) -> str:
        suffix = "*" if self.operations == frozenset({READ, WRITE}) else next(iter(self.operations))
        return f"{self.context}/{self.resource_type}.{suffix}"


def scope_parse(text: str) -> Scope | None:
    """The scope, or None when the text is not a resource scope (e.g. `openid`, `launch`)."""
    match = _SCOPE.match(text.strip())
    if not match:
        return None
    context, resource_type, action, _query = match.groups()
    if action == "*":
        operations = frozenset({READ, WRITE})
    elif action in (READ, WRITE):
        operations = frozenset({action})
    else:
        operations = frozenset(_V2[letter] for letter in action)
    return Scope(context=context, resource_type=resource_type, operations=operations)


def scopes_parse(text: str) -> tuple[Scope, ...]:
    parsed = (scope_parse(part) for part in text.split())
    return tuple(scope for scope in parsed if scope is not None)


def scopes_grant(*, requested: tuple[Scope, ...], allowed: tuple[Scope, ...]) -> tuple[Scope, ...]:
    """The requested scopes that some allowed scope covers, each narrowed to what is allowed."""
    granted: list[Scope] = []
    for want in requested:
        for cap in allowed:
            if cap.context != want.context:
                continue
            if want.resource_type != "*" and cap.resource_type not in ("*", want.resource_type):
                continue
            operations = want.operations & cap.operations
            if operations:
                # The narrower of the two types: asking for `*` gets what the role allows per type.
                resource_type = cap.resource_type if want.resource_type == "*" else want.resource_type
                granted.append(Scope(want.context, resource_type, frozenset(operations)))
    return tuple(dict.fromkeys(granted))


@dataclass(frozen=True)
class ScopeSet:
    scopes: tuple[Scope, ...]
    # The answers given so far: a token's scope set lives as long as the token, and every request asks.
    _answers: dict[tuple[str, str], bool] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def allows(self, resource_type: str, operation: str) -> bool:
        answer = self._answers.get((resource_type, operation))
        if answer is None:
            answer = any(scope.allows(resource_type, operation) for scope in self.scopes)
            if len(self._answers) < 1024:
                self._answers[(resource_type, operation)] = answer
        return answer

    def types_for(self, operation: str) -> frozenset[str] | None:
        """The types this operation is limited to, or None when any type is allowed."""
        types: set[str] = set()
        for scope in self.scopes:
            if operation in scope.operations:
                if scope.resource_type == "*":
                    return None
                types.add(scope.resource_type)
        return frozenset(types)

    def __str__(self) -> str:
        return " ".join(str(scope) for scope in self.scopes)


def scope_set(text: str) -> ScopeSet:
    return ScopeSet(scopes_parse(text))
