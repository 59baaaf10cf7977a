"""The validation walk over a parsed FHIR JSON resource.

The happy path does one dict lookup and one type test per property and builds a location string only when it
descends into an object; messages are formatted only for problems.
"""

from __future__ import annotations

from typing import Any

from kaari.lib.memo import short_text_memo

from .issues import CODE_INVALID, INVALID, REQUIRED, STRUCTURE, TOO_COSTLY, IssueList
from .primitives import json_kind
from .schema import COMPLEX, FORBIDDEN, PRIMITIVE, PRIMITIVE_EXTENSION, RESOURCE, Field, Node, compiled

# Nesting of JSON objects. The deepest R4 example needs 11 and Synthea 7; a Questionnaire with ten levels of
# items about 25. The limit keeps hostile documents from exhausting the Python stack.
MAX_DEPTH = 64
EMPTY = "(FHIR JSON has no empty values)"


def walk_resource(value: Any, path: str, depth: int, issues: IssueList) -> None:
    """Validate `value` as a resource at `path` ("" at the root, where the resource type names it)."""
    nodes, every = compiled()
    where = f"{path}.resourceType" if path else "resourceType"
    if value.__class__ is not dict:
        issues.error(STRUCTURE, path or "$this", f"A resource must be a JSON object, not a JSON {json_kind(value)}")
        return
    resource_type = value.get("resourceType")
    if resource_type is None:
        issues.error(STRUCTURE, where, "The resource has no resourceType")
        return
    if resource_type.__class__ is not str:
        issues.error(STRUCTURE, where, f"resourceType must be a JSON string, not a JSON {json_kind(resource_type)}")
        return
    node = nodes.get(resource_type)
    if node is None:
        kind = "an abstract" if resource_type in every else "not a known"
        issues.error(STRUCTURE, where, f"{resource_type!r} is {kind} FHIR R4 resource type")
        return
    walk_object(value, node, path or resource_type, depth, issues)


def walk_object(obj: dict[str, Any], node: Node, path: str, depth: int, issues: IssueList) -> None:
    if depth > MAX_DEPTH:
        issues.error(TOO_COSTLY, path, f"The content is nested more than {MAX_DEPTH} levels deep")
        return
    fields = node.fields
    chosen: dict[str, str] | None = None
    for key, value in obj.items():
        field = fields.get(key)
        if field is None:
            unknown_property(key, node, path, issues)
            continue
        if field.choice is not None:
            if chosen is None:
                chosen = {field.choice: field.variant}
            elif chosen.setdefault(field.choice, field.variant) != field.variant:
                message = f"{field.choice} may have only one type, but {chosen[field.choice]} is also present"
                issues.error(STRUCTURE, f"{path}.{key}", message)
        kind = field.kind
        if kind == PRIMITIVE:
            if value.__class__ is list:
                if list_fits(value, field, key, path, issues):
                    walk_primitive_list(obj, key, value, field, path, issues)
            elif field.is_list:
                issues.error(STRUCTURE, f"{path}.{key}", f"{field.name} repeats, so it must be a JSON array")
            elif value is not None:
                # Checked here first: the call, the location and the message are only needed for a problem.
                if field.check(value) is not None or (field.codes is not None and value not in field.codes):
                    walk_primitive(value, field, f"{path}.{key}", issues)
            elif obj.get("_" + key) is None:
                issues.error(STRUCTURE, f"{path}.{key}", "null is not allowed here")
        elif kind == COMPLEX or kind == RESOURCE:  # noqa: SIM109 - a tuple per property costs more than two ints
            if value.__class__ is list:
                if list_fits(value, field, key, path, issues):
                    for index, item in enumerate(value):
                        walk_complex(item, field, f"{path}.{key}[{index}]", depth + 1, issues)
            elif field.is_list:
                issues.error(STRUCTURE, f"{path}.{key}", f"{field.name} repeats, so it must be a JSON array")
            else:
                walk_complex(value, field, f"{path}.{key}", depth + 1, issues)
        elif kind == PRIMITIVE_EXTENSION:
            walk_primitive_extension(obj, key, value, field, path, depth, issues)
        elif kind == FORBIDDEN:
            issues.error(STRUCTURE, f"{path}.{key}", f"{field.name} is not allowed in {node.name} (maximum 0)")
        # The remaining kind, RESOURCE_TYPE, was checked when the resource's node was chosen.
    if node.invariant is not None:
        node.invariant(obj, path, issues)
    for names, element in node.required:
        for name in names:
            if name in obj:
                break
        else:
            where = f"{path}.{element.removesuffix('[x]')}"
            issues.error(REQUIRED, where, f"{element} is required (minimum cardinality 1)")


def list_fits(values: list[Any], field: Field, key: str, path: str, issues: IssueList) -> bool:
    """Whether a JSON array is allowed here; its items are walked only if so."""
    if not field.is_list:
        issues.error(STRUCTURE, f"{path}.{key}", f"{field.name} does not repeat, so it must not be a JSON array")
        return False
    if not values:
        issues.error(STRUCTURE, f"{path}.{key}", f"must not be an empty array {EMPTY}")
        return False
    if field.max_count is not None and len(values) > field.max_count:
        message = f"{field.name} allows at most {field.max_count}, but there are {len(values)}"
        issues.error(STRUCTURE, f"{path}.{key}", message)
    return True


def walk_primitive(value: Any, field: Field, path: str, issues: IssueList) -> None:
    problem = field.check(value)
    if problem is not None:
        issues.error(problem[0], path, f"{field.name} {problem[1]}")
    elif field.codes is not None and value not in field.codes:
        issues.error(CODE_INVALID, path, f"{value!r} is not a code of the required value set {field.binding}")


def walk_primitive_list(
    obj: dict[str, Any], key: str, values: list[Any], field: Field, path: str, issues: IssueList
) -> None:
    check, codes = field.check, field.codes
    for index, value in enumerate(values):
        if value is not None:
            if check(value) is not None or (codes is not None and value not in codes):
                walk_primitive(value, field, f"{path}.{key}[{index}]", issues)
            continue
        extensions = obj.get("_" + key)
        if extensions.__class__ is not list or len(extensions) <= index or extensions[index] is None:
            message = f"null is allowed in {key} only where _{key} has an id or extensions at the same position"
            issues.error(STRUCTURE, f"{path}.{key}[{index}]", message)


def walk_primitive_extension(
    obj: dict[str, Any], key: str, value: Any, field: Field, path: str, depth: int, issues: IssueList
) -> None:
    """`_x` carries the id and extensions of primitive `x`; for a list, aligned with `x` and padded with nulls."""
    name = key[1:]
    if value.__class__ is not list:
        if field.is_list:
            issues.error(STRUCTURE, f"{path}.{key}", f"{name} repeats, so {key} must be a JSON array")
        else:
            walk_element(value, field, f"{path}.{name}", depth + 1, issues)
        return
    if not list_fits(value, field, key, path, issues):
        return
    values = obj.get(name)
    if values is not None and (values.__class__ is not list or len(values) != len(value)):
        issues.error(STRUCTURE, f"{path}.{key}", f"{key} must be a JSON array as long as {name}")
        return
    for index, item in enumerate(value):
        if item is not None:
            walk_element(item, field, f"{path}.{name}[{index}]", depth + 1, issues)
        elif values is None:  # with values, the list of values reports a null at this position
            issues.error(STRUCTURE, f"{path}.{key}[{index}]", f"null is allowed in {key} only where {name} has a value")


def walk_element(value: Any, field: Field, path: str, depth: int, issues: IssueList) -> None:
    if value.__class__ is not dict:
        kind = json_kind(value)
        issues.error(STRUCTURE, path, f"the id and extensions of {field.name} must be a JSON object, not a JSON {kind}")
    elif not value:
        issues.error(STRUCTURE, path, f"must not be an empty object {EMPTY}")
    else:
        walk_object(value, field.node, path, depth, issues)


def walk_complex(value: Any, field: Field, path: str, depth: int, issues: IssueList) -> None:
    if value.__class__ is not dict:
        if value is None:
            issues.error(STRUCTURE, path, "null is not allowed here")
        else:
            kind = json_kind(value)
            issues.error(STRUCTURE, path, f"{field.name} must be a JSON object ({field.type_code}), not a JSON {kind}")
        return
    if not value:
        issues.error(STRUCTURE, path, f"must not be an empty object {EMPTY}")
        return
    if field.kind == RESOURCE:
        walk_resource(value, path, depth, issues)
        return
    walk_object(value, field.node, path, depth, issues)
    if field.pairs is not None:
        check_coded(value, field, path, issues)
    elif field.targets is not None:
        check_reference_target(value, field.targets, field.name, path, issues)


def unknown_property(key: str, node: Node, path: str, issues: IssueList) -> None:
    if key == "resourceType":
        message = "resourceType is allowed only at the root of a resource"
    else:
        choices = sorted({f.choice for f in node.fields.values() if f.choice and key.startswith(f.choice[:-3])})
        if choices and key[:1] != "_":
            message = f"Unknown element {key!r}: not an allowed type for {choices[0]} in {node.name}"
        else:
            message = f"Unknown element {key!r} in {node.name}"
    issues.error(STRUCTURE, f"{path}.{key}", message)


def check_coded(value: dict[str, Any], field: Field, path: str, issues: IssueList) -> None:
    """A required binding on a Coding or CodeableConcept (terminologies.html, binding strength "required").

    The concept SHALL be from the value set: a CodeableConcept needs at least one such coding (others may be
    translations), and text alone does not satisfy the binding.
    """
    pairs = field.pairs or frozenset()
    codings: Any = [value] if field.type_code == "Coding" else value.get("coding")
    for coding in codings if codings.__class__ is list else ():
        if coding.__class__ is dict:
            system, code = coding.get("system"), coding.get("code")
            if system.__class__ is str and code.__class__ is str and (system, code) in pairs:
                return
    issues.error(CODE_INVALID, path, f"{field.name} needs a coding from the required value set {field.binding}")


def check_reference_target(
    value: dict[str, Any], targets: frozenset[str], name: str, path: str, issues: IssueList
) -> None:
    """A literal reference must point at one of the resource types the element's definition allows."""
    reference = value.get("reference")
    if reference.__class__ is not str or reference[:1] == "#" or reference.startswith("urn:"):
        return
    target = _known_reference_type(reference)
    if target is not None and target not in targets:
        allowed = ", ".join(sorted(targets))
        issues.error(INVALID, f"{path}.reference", f"{name} may refer to {allowed}, not {target}")


def reference_type(reference: str, known: dict[str, Node]) -> str | None:
    """The resource type a relative, absolute or conditional reference names, when it is a known one."""
    if "?" in reference:
        head = reference.split("?", 1)[0]
        return head if head in known else None
    parts = reference.split("/")
    if len(parts) >= 4 and parts[-2] == "_history":
        parts = parts[:-2]
    if len(parts) >= 2 and parts[-2] in known:
        return parts[-2]
    return None


@short_text_memo(maxsize=8192, length=256)  # one client's resources refer to the same Patients and Encounters
def _known_reference_type(reference: str) -> str | None:
    return reference_type(reference, compiled()[0])
