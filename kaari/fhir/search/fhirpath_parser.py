"""A parser for the FHIRPath subset that the R4 search-parameter expressions use.

It produces a small AST of tuples. Anything outside the subset raises FhirPathError, so a parameter
whose expression cannot be parsed is reported as unsupported rather than silently indexed wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


class FhirPathError(ValueError):
    """The expression is outside the supported FHIRPath subset."""


@dataclass(frozen=True)
class Ast:
    kind: str  # root, this, var, member, index, as, is, call, union, and, eq, ne, literal
    args: tuple[Any, ...] = ()


_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^'\\]|\\.)*')|(?P<number>\d+(?:\.\d+)?)|(?P<var>%[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<ident>[A-Za-z_][A-Za-z0-9_]*|`[^`]+`)|(?P<op>!=|[.()\[\]|=,]))"
)
_KEYWORDS = {"and", "as", "is", "true", "false"}


def tokens_split(expression: str) -> list[tuple[str, str]]:
    result: list[tuple[str, str]] = []
    position = 0
    text = expression.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise FhirPathError(f"unexpected text at {position}: {text[position:]!r}")
        kind = match.lastgroup or ""
        value = match.group(kind)
        if kind == "ident" and value.startswith("`"):
            value = value[1:-1]
        elif kind == "ident" and value in _KEYWORDS:
            kind = "keyword"
        result.append((kind, value))
        position = match.end()
    return result


class _Parser:
    def __init__(self, expression: str) -> None:
        self.tokens = tokens_split(expression)
        self.position = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.position] if self.position < len(self.tokens) else ("end", "")

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token[0] == "end" or (value is not None and token[1] != value):
            raise FhirPathError(f"expected {value or 'more'}, found {token[1] or 'end'}")
        self.position += 1
        return token

    def parse(self) -> Ast:
        node = self.and_expr()
        if self.peek()[0] != "end":
            raise FhirPathError(f"unexpected {self.peek()[1]!r}")
        return node

    def and_expr(self) -> Ast:
        node = self.eq_expr()
        while self.peek() == ("keyword", "and"):
            self.take()
            node = Ast("and", (node, self.eq_expr()))
        return node

    def eq_expr(self) -> Ast:
        node = self.union_expr()
        if self.peek()[1] in ("=", "!="):
            op = self.take()[1]
            node = Ast("eq" if op == "=" else "ne", (node, self.union_expr()))
        return node

    def union_expr(self) -> Ast:
        branches = [self.type_expr()]
        while self.peek()[1] == "|":
            self.take()
            branches.append(self.type_expr())
        return branches[0] if len(branches) == 1 else Ast("union", tuple(branches))

    def type_expr(self) -> Ast:
        node = self.postfix()
        if self.peek() in (("keyword", "as"), ("keyword", "is")):
            kind = self.take()[1]
            node = Ast(kind, (node, self.type_name()))
        return node

    def type_name(self) -> str:
        kind, value = self.take()
        if kind != "ident":
            raise FhirPathError(f"expected a type name, found {value!r}")
        if self.peek()[1] == ".":  # FHIR.dateTime / System.String
            self.take()
            value = self.take()[1]
        return value

    def postfix(self) -> Ast:
        node = self.term()
        while True:
            token = self.peek()
            if token[1] == ".":
                self.take()
                node = self.invocation(node)
            elif token[1] == "[":
                self.take()
                kind, number = self.take()
                if kind != "number" or "." in number:
                    raise FhirPathError("only integer indexes are supported")
                self.take("]")
                node = Ast("index", (node, int(number)))
            else:
                return node

    def invocation(self, base: Ast) -> Ast:
        kind, name = self.take()
        if kind not in ("ident", "keyword"):
            raise FhirPathError(f"expected a name after '.', found {name!r}")
        if self.peek()[1] != "(":
            return Ast("member", (base, name))
        self.take("(")
        args: list[Any] = []
        if name in ("as", "ofType", "is"):
            args.append(self.type_name())
        elif self.peek()[1] != ")":
            args.append(self.and_expr())
            while self.peek()[1] == ",":
                self.take()
                args.append(self.and_expr())
        self.take(")")
        if name in ("as", "ofType"):
            return Ast("as", (base, args[0]))
        return Ast("call", (base, name, tuple(args)))

    def term(self) -> Ast:
        kind, value = self.take()
        if kind == "op" and value == "(":
            node = self.and_expr()
            self.take(")")
            return node
        if kind == "string":
            return Ast("literal", (bytes(value[1:-1], "utf-8").decode("unicode_escape"),))
        if kind == "number":
            return Ast("literal", (float(value) if "." in value else int(value),))
        if kind == "keyword" and value in ("true", "false"):
            return Ast("literal", (value == "true",))
        if kind == "var":
            if value not in ("%resource", "%rootResource"):
                raise FhirPathError(f"unsupported variable {value}")
            return Ast("var", ("resource",))
        if kind == "ident":
            if self.peek()[1] == "(":
                return self.invocation_on_this(value)
            if value[0].isupper():
                return Ast("root", (value,))
            return Ast("member", (Ast("this"), value))
        raise FhirPathError(f"unexpected {value!r}")

    def invocation_on_this(self, name: str) -> Ast:
        self.position -= 1
        return self.invocation(Ast("this"))


def expression_parse(expression: str) -> Ast:
    return _Parser(expression).parse()
