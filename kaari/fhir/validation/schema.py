"""The R4 definitions compiled into per-type lookup tables for the validator.

Every JSON property name a type allows (`valueQuantity`, `_birthDate`, `resourceType` at a resource root) maps to
one `Field`, so the walk does a single dict lookup per property. Everything is built once, on first use.
"""

from __future__ import annotations

from functools import cache

from kaari.fhir.spec import ElementDefinition, TypeDefinition, resource_types, type_definitions, value_set_codes

from .invariants import INVARIANTS, Invariant
from .primitives import Checker, primitive_checker

# What a field holds.
PRIMITIVE = 0
COMPLEX = 1
RESOURCE = 2
RESOURCE_TYPE = 3  # the "resourceType" property at a resource root
PRIMITIVE_EXTENSION = 4  # "_birthDate": id and extensions of a primitive
FORBIDDEN = 5  # an element a core profile removes (max 0), such as SimpleQuantity.comparator

NESTED_TYPES = frozenset({"BackboneElement", "Element"})


class Node:
    """An object shape: a complex type, a resource, or a backbone element inside one."""

    __slots__ = ("name", "fields", "required", "invariant")

    def __init__(self, name: str, invariant: Invariant | None = None) -> None:
        self.name = name
        self.invariant = invariant
        self.fields: dict[str, Field] = {}
        # For each element with min >= 1: the JSON names that satisfy it, and the element's name for messages.
        self.required: tuple[tuple[tuple[str, ...], str], ...] = ()


class Field:
    __slots__ = (
        "name",
        "element",
        "kind",
        "type_code",
        "is_list",
        "max_count",
        "check",
        "node",
        "codes",
        "pairs",
        "binding",
        "choice",
        "targets",
        "variant",
    )

    def __init__(self, name: str, element: ElementDefinition, kind: int, type_code: str) -> None:
        self.name = name
        self.element = element.path.rsplit(".", 1)[-1]
        self.type_code = type_code
        self.kind = FORBIDDEN if element.max == "0" else kind
        self.is_list = element.max not in {"0", "1"}
        self.max_count: int | None = None if element.max == "*" else int(element.max)
        self.check: Checker = _not_primitive
        self.node: Node = NO_NODE
        self.codes: frozenset[str] | None = None  # required binding on a code
        self.pairs: frozenset[tuple[str, str]] | None = None  # required binding on a Coding or CodeableConcept
        self.binding = element.binding
        self.choice: str | None = element.path.rsplit(".", 1)[-1] if element.is_choice else None
        self.targets: frozenset[str] | None = None  # Reference target resource types, None when any
        self.variant = name.removeprefix("_")  # the choice it stands for: "_valueString" counts as valueString


def _not_primitive(value: object) -> None:
    raise TypeError("not a primitive field")


NO_NODE = Node("(none)")


def choice_name(base: str, type_code: str) -> str:
    return base + type_code[0].upper() + type_code[1:]


class Compiler:
    def __init__(self) -> None:
        self.types = type_definitions()
        self.checkers: dict[str, Checker] = {
            name: primitive_checker(t) for name, t in self.types.items() if t.kind == "primitive"
        }
        self.nodes: dict[tuple[str, str], Node] = {}

    def type_node(self, type_name: str) -> Node:
        return self.node(self.types[type_name], "")

    def node(self, definition: TypeDefinition, prefix: str) -> Node:
        key = (definition.name, prefix)
        existing = self.nodes.get(key)
        if existing is not None:
            return existing
        node = Node(
            f"{definition.name}.{prefix}" if prefix else definition.name,
            None if prefix else INVARIANTS.get(definition.name),
        )
        self.nodes[key] = node  # before the children: content references point back up the tree
        start = len(prefix) + 1 if prefix else 0
        required: list[tuple[tuple[str, ...], str]] = []
        for path, element in definition.elements.items():
            if not path.startswith(prefix + "." if prefix else "") or "." in path[start:]:
                continue
            names = self.add_element(node, definition, element)
            if element.min >= 1:
                required.append((names, element.name + ("[x]" if element.is_choice else "")))
        if definition.kind == "resource" and not prefix:
            node.fields["resourceType"] = Field(
                "resourceType", ElementDefinition("resourceType", 1, "1"), RESOURCE_TYPE, ""
            )
        node.required = tuple(required)
        return node

    def add_element(self, node: Node, definition: TypeDefinition, element: ElementDefinition) -> tuple[str, ...]:
        names: list[str] = []
        if element.content_reference is not None:
            field = Field(element.name, element, COMPLEX, "BackboneElement")
            field.node = self.node(definition, element.content_reference)
            node.fields[field.name] = field
            return (field.name,)
        for element_type in element.types:
            code = element_type.code
            name = choice_name(element.name, code) if element.is_choice else element.name
            target = self.types.get(code)
            if target is not None and target.kind == "primitive":
                field = Field(name, element, PRIMITIVE, code)
                field.check = self.checkers[code]
                if element.binding is not None and code == "code":
                    codes = value_set_codes(element.binding)
                    field.codes = None if codes is None else frozenset(c for _, c in codes)
                if target.extensible:
                    extension = Field("_" + name, element, PRIMITIVE_EXTENSION, code)
                    extension.node = self.type_node("Element")
                    node.fields[extension.name] = extension
                    names.append(extension.name)
            elif code == "Resource":
                field = Field(name, element, RESOURCE, code)
            else:
                field = Field(name, element, COMPLEX, code)
                if code in NESTED_TYPES and any(p.startswith(element.path + ".") for p in definition.elements):
                    field.node = self.node(definition, element.path)
                else:
                    profile = element_type.profiles[0] if element_type.profiles else code
                    field.node = self.type_node(profile if profile in self.types else code)
                if element.binding is not None and code in {"Coding", "CodeableConcept"}:
                    field.pairs = value_set_codes(element.binding)
                if code == "Reference" and element_type.targets and "Resource" not in element_type.targets:
                    field.targets = frozenset(element_type.targets)
            node.fields[name] = field
            names.append(name)
        return tuple(names)


@cache
def compiled() -> tuple[dict[str, Node], frozenset[str]]:
    """The node of every concrete resource type, and the set of all resource type names (abstract included)."""
    compiler = Compiler()
    nodes = {name: compiler.type_node(name) for name in sorted(resource_types())}
    every = frozenset(name for name, t in compiler.types.items() if t.kind == "resource")
    return nodes, every
