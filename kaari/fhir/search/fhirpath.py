"""Compile search-parameter FHIRPath expressions, once, into closures over resource dicts.

Compilation is typed against the R4 definitions: every value an evaluator yields carries its FHIR type
(`CodeableConcept`, `dateTime`, `Period`...), resolved statically from the element definitions and, for
choice elements, from the JSON key (`valueQuantity`). Indexers rely on that type to know how to index a
value. An expression that uses anything outside the subset, or an element that does not exist, raises
FhirPathError at compile time; it never evaluates to "nothing" silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from kaari.fhir.search.fhirpath_parser import Ast, FhirPathError, expression_parse
from kaari.fhir.spec import ElementDefinition, TypeDefinition, resource_types, type_definitions

__all__ = ["FhirPathError", "Typed", "Node", "Evaluator", "expression_compile", "reference_target_type"]


@dataclass(frozen=True)
class Typed:
    """The static type of a value: its FHIR type code, and where its child elements are defined."""

    code: str  # a FHIR type code, a resource type, or "BackboneElement"
    owner: str = ""  # the type whose element table describes the children
    base: str = ""  # the path inside `owner` that the children hang off ("" for a type's root)


Node = tuple[Any, Typed]
Evaluator = Callable[[list[Node], dict[str, Any]], list[Node]]

BOOLEAN = Typed("boolean", "boolean")
_QUANTITY_PROFILES = frozenset({"Age", "Count", "Distance", "Duration", "MoneyQuantity", "SimpleQuantity"})
_ANY_RESOURCE = ("Resource", "DomainResource")


def _type_canonical(name: str) -> str:
    """FHIRPath system types (`DateTime`, `String`) name the FHIR primitives they hold."""
    definitions = type_definitions()
    if name in definitions:
        return name
    lowered = name[0].lower() + name[1:]
    if lowered in definitions and definitions[lowered].kind == "primitive":
        return lowered
    if name in _ANY_RESOURCE:
        return name
    raise FhirPathError(f"unknown type {name}")


def type_matches(actual: str, wanted: str) -> bool:
    if actual == wanted:
        return True
    if wanted == "Quantity" and actual in _QUANTITY_PROFILES:
        return True
    return wanted in _ANY_RESOURCE and actual in resource_types()


def _typed_for(code: str, owner: str, path: str) -> Typed:
    definitions = type_definitions()
    if code in ("BackboneElement", "Element"):
        return Typed("BackboneElement", owner, path)
    definition = definitions.get(code)
    if definition is None:
        raise FhirPathError(f"unknown element type {code}")
    return Typed(code, code, "")


def _element_table(typed: Typed) -> tuple[TypeDefinition, str]:
    definition = type_definitions().get(typed.owner)
    if definition is None or definition.kind == "primitive":
        raise FhirPathError(f"{typed.code} has no child elements")
    return definition, typed.base


def _content_reference_path(reference: str) -> str:
    # `#Questionnaire.item` or `Questionnaire.item` or `item`: the path inside the same type.
    reference = reference.lstrip("#")
    head, _, tail = reference.partition(".")
    return tail if head and head[0].isupper() and tail else reference


@cache
def member_plan(typed: Typed, name: str) -> tuple[tuple[str, Typed], ...]:
    """The JSON keys that hold element `name` of a value of type `typed`, with each key's type."""
    if typed.code in resource_types() and typed.owner != typed.code:
        typed = Typed(typed.code, typed.code, "")
    definition, base = _element_table(typed)
    path = f"{base}.{name}" if base else name
    element: ElementDefinition | None = definition.elements.get(path)
    if element is None:
        choice = definition.elements.get(path + "[x]")
        if choice is None:
            return ()
        return tuple(
            (name + t.code[0].upper() + t.code[1:], _typed_for(t.code, definition.name, path)) for t in choice.types
        )
    if element.content_reference:
        return ((name, Typed("BackboneElement", definition.name, _content_reference_path(element.content_reference))),)
    if len(element.types) != 1:
        raise FhirPathError(f"{definition.name}.{path} has {len(element.types)} types and is not a choice")
    return ((name, _typed_for(element.types[0].code, definition.name, path)),)


def reference_target_type(reference: dict[str, Any]) -> str | None:
    """The resource type a Reference points at, from its literal reference (`Patient/1`, `http://x/Patient/1`)."""
    literal = reference.get("reference")
    if not isinstance(literal, str) or not literal or literal.startswith("#"):
        return None
    parts = literal.split("/")
    if len(parts) >= 4 and parts[-2] == "_history":
        parts = parts[:-2]
    if len(parts) >= 2 and parts[-2] in resource_types():
        return parts[-2]
    return None


# --- compilation -----------------------------------------------------------------------------------------

Compiled = tuple[Evaluator, frozenset[Typed]]


def expression_compile(expression: str, resource_type: str) -> Compiled | None:
    """Compile `expression` for resources of `resource_type`.

    Returns None when no branch of the expression applies to that type (multi-resource parameters such as
    `clinical-date` list one branch per type). Raises FhirPathError when the expression is unsupported.
    """
    root = frozenset({Typed(resource_type, resource_type, "")})
    ast = _branches_for_type(expression_parse(expression), resource_type)
    if ast is None:
        return None
    return _compile(ast, root)


def subexpression_compile(expression: str, context: frozenset[Typed]) -> Compiled:
    """Compile an expression relative to values of the given types (composite components)."""
    return _compile(expression_parse(expression), context)


def _root_of(ast: Ast) -> str | None:
    while ast.kind in ("member", "index", "as", "call", "is"):
        ast = ast.args[0]
    return ast.args[0] if ast.kind == "root" else None


def _branches_for_type(ast: Ast, resource_type: str) -> Ast | None:
    branches = ast.args if ast.kind == "union" else (ast,)
    kept = []
    for branch in branches:
        root = _root_of(branch)
        if root is None or root == resource_type or root in _ANY_RESOURCE:
            kept.append(branch)
        elif root not in resource_types():
            raise FhirPathError(f"unknown root {root}")
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else Ast("union", tuple(kept))


def _compile(ast: Ast, context: frozenset[Typed]) -> Compiled:
    handler = _COMPILERS.get(ast.kind)
    if handler is None:
        raise FhirPathError(f"unsupported construct {ast.kind}")
    return handler(ast, context)


def _compile_this(ast: Ast, context: frozenset[Typed]) -> Compiled:
    return (lambda nodes, root: nodes), context


def _compile_root(ast: Ast, context: frozenset[Typed]) -> Compiled:
    wanted = ast.args[0]
    kept = frozenset(t for t in context if type_matches(t.code, wanted))
    if not kept:
        raise FhirPathError(f"{wanted} does not apply here")
    return (lambda nodes, root: nodes), kept


def _compile_var(ast: Ast, context: frozenset[Typed]) -> Compiled:
    def resource_var(nodes: list[Node], root: dict[str, Any]) -> list[Node]:
        return [(root, Typed(root["resourceType"], root["resourceType"], ""))]

    types = frozenset(Typed(t, t, "") for t in resource_types())
    return resource_var, types


def _compile_member(ast: Ast, context: frozenset[Typed], wanted: str | None = None) -> Compiled:
    """`base.name`; with `wanted`, `(base.name as wanted)`: only the keys whose type matches are read."""
    base_fn, base_types = _compile(ast.args[0], context)
    name = ast.args[1]
    plans = {t: member_plan(t, name) for t in base_types}
    plans = {t: p for t, p in plans.items() if p}
    if not plans:
        raise FhirPathError(f"no element {name} on {sorted(t.code for t in base_types)}")
    if wanted is not None:
        wanted = _type_canonical(wanted)
        plans = {t: kept for t, p in plans.items() if (kept := tuple(e for e in p if type_matches(e[1].code, wanted)))}
        if not plans:
            raise FhirPathError(f"no value of type {wanted} possible here")
    out_types = frozenset(typed for plan in plans.values() for _, typed in plan)
    single = next(iter(plans.values())) if len(plans) == 1 and len(base_types) == 1 else None
    if single is not None and len(single) == 1:
        key, typed = single[0]
        of_input = ast.args[0].kind in ("root", "this")  # the base is the input itself: no call to evaluate it

        def member_one(nodes: list[Node], root: dict[str, Any]) -> list[Node]:
            out: list[Node] = []
            for value, _ in nodes if of_input else base_fn(nodes, root):
                child = value.get(key) if type(value) is dict else None
                if child is None:
                    continue
                if type(child) is list:
                    out.extend((item, typed) for item in child if item is not None)
                else:
                    out.append((child, typed))
            return out

        return member_one, out_types

    def member_many(nodes: list[Node], root: dict[str, Any]) -> list[Node]:
        out: list[Node] = []
        for value, value_type in base_fn(nodes, root):
            if type(value) is not dict:
                continue
            for key, typed in plans.get(value_type, ()):
                child = value.get(key)
                if child is None:
                    continue
                if type(child) is list:
                    out.extend((item, typed) for item in child if item is not None)
                else:
                    out.append((child, typed))
        return out

    return member_many, out_types


def _compile_as(ast: Ast, context: frozenset[Typed]) -> Compiled:
    if ast.args[0].kind == "member":
        return _compile_member(ast.args[0], context, ast.args[1])
    base_fn, base_types = _compile(ast.args[0], context)
    wanted = _type_canonical(ast.args[1])
    kept = frozenset(t for t in base_types if type_matches(t.code, wanted))
    if not kept:
        raise FhirPathError(f"no value of type {wanted} possible here")
    allowed = frozenset(kept)

    def as_type(nodes: list[Node], root: dict[str, Any]) -> list[Node]:
        return [node for node in base_fn(nodes, root) if node[1] in allowed]

    return as_type, kept


def _compile_index(ast: Ast, context: frozenset[Typed]) -> Compiled:
    base_fn, base_types = _compile(ast.args[0], context)
    position = ast.args[1]

    def indexed(nodes: list[Node], root: dict[str, Any]) -> list[Node]:
        values = base_fn(nodes, root)
        return values[position : position + 1]

    return indexed, base_types


def _compile_union(ast: Ast, context: frozenset[Typed]) -> Compiled:
    compiled = [_compile(branch, context) for branch in ast.args]
    functions = [fn for fn, _ in compiled]
    types = frozenset(t for _, ts in compiled for t in ts)

    def union(nodes: list[Node], root: dict[str, Any]) -> list[Node]:
        out: list[Node] = []
        for fn in functions:
            out.extend(fn(nodes, root))
        return out

    return union, types


def _compile_call(ast: Ast, context: frozenset[Typed]) -> Compiled:
    base_ast, name, args = ast.args
    base_fn, base_types = _compile(base_ast, context)
    if name == "where" and len(args) == 1:
        predicate = _predicate_compile(args[0], base_types)

        def where(nodes: list[Node], root: dict[str, Any]) -> list[Node]:
            return [node for node in base_fn(nodes, root) if predicate(node, root)]

        return where, base_types
    if name == "exists" and not args:
        return (lambda nodes, root: [(bool(base_fn(nodes, root)), BOOLEAN)]), frozenset({BOOLEAN})
    if name == "first" and not args:
        return (lambda nodes, root: base_fn(nodes, root)[:1]), base_types
    raise FhirPathError(f"unsupported function {name}()")


Predicate = Callable[[Node, dict[str, Any]], bool]


def _predicate_compile(ast: Ast, context: frozenset[Typed]) -> Predicate:
    """A `where()` criterion, evaluated on one value: `resolve() is T` or `element = 'literal'`."""
    if ast.kind == "is" and ast.args[0] == Ast("call", (Ast("this"), "resolve", ())):
        wanted = ast.args[1]
        if not any(t.code == "Reference" for t in context):
            raise FhirPathError("resolve() on something that is not a Reference")

        def resolves_to(node: Node, root: dict[str, Any]) -> bool:
            value = node[0]
            if type(value) is not dict:
                return False
            target = reference_target_type(value)
            return target is not None and type_matches(target, wanted)

        return resolves_to
    if ast.kind in ("eq", "ne") and ast.args[1].kind == "literal":
        value_fn, _ = _compile(ast.args[0], context)
        literal = ast.args[1].args[0]
        negate = ast.kind == "ne"

        def compares(node: Node, root: dict[str, Any]) -> bool:
            values = value_fn([node], root)
            if len(values) != 1:
                return False
            equal = type(values[0][0]) is type(literal) and values[0][0] == literal
            return equal != negate

        return compares
    if ast.kind == "and":
        left, right = (_predicate_compile(a, context) for a in ast.args)
        return lambda node, root: left(node, root) and right(node, root)
    raise FhirPathError(f"unsupported where() criterion {ast.kind}")


def _compile_boolean(ast: Ast, context: frozenset[Typed]) -> Compiled:
    """`A.exists() and A != false` and friends, with FHIRPath's three-valued logic."""
    if ast.kind == "and":
        left_fn = _compile_boolean(ast.args[0], context)[0]
        right_fn = _compile_boolean(ast.args[1], context)[0]

        def conjunction(nodes: list[Node], root: dict[str, Any]) -> list[Node]:
            left = _singleton_bool(left_fn(nodes, root))
            right = _singleton_bool(right_fn(nodes, root))
            if left is False or right is False:
                return [(False, BOOLEAN)]
            if left is None or right is None:
                return []
            return [(True, BOOLEAN)]

        return conjunction, frozenset({BOOLEAN})
    if ast.kind in ("eq", "ne"):
        value_fn, _ = _compile(ast.args[0], context)
        if ast.args[1].kind != "literal":
            raise FhirPathError("only comparisons with a literal are supported")
        literal = ast.args[1].args[0]
        negate = ast.kind == "ne"

        def comparison(nodes: list[Node], root: dict[str, Any]) -> list[Node]:
            values = value_fn(nodes, root)
            if not values:
                return []
            equal = len(values) == 1 and type(values[0][0]) is type(literal) and values[0][0] == literal
            return [(equal != negate, BOOLEAN)]

        return comparison, frozenset({BOOLEAN})
    fn, types = _compile(ast, context)
    if types != frozenset({BOOLEAN}):
        raise FhirPathError("'and' needs boolean operands")
    return fn, types


def _singleton_bool(nodes: list[Node]) -> bool | None:
    if not nodes:
        return None
    value = nodes[0][0]
    return value if isinstance(value, bool) else True


_COMPILERS: dict[str, Callable[[Ast, frozenset[Typed]], Compiled]] = {
    "this": _compile_this,
    "root": _compile_root,
    "var": _compile_var,
    "member": _compile_member,
    "as": _compile_as,
    "index": _compile_index,
    "union": _compile_union,
    "call": _compile_call,
    "and": _compile_boolean,
    "eq": _compile_boolean,
    "ne": _compile_boolean,
}
