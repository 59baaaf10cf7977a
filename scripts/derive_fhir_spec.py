"""Derive Kaari's compact FHIR R4 definitions from the official package.

    python -m scripts.derive_fhir_spec [PACKAGE_DIR]

Reads the structure definitions, value sets, code systems, search parameters and the Patient compartment
definition of `hl7.fhir.r4.examples` 4.0.1 (CC0) and writes kaari/fhir/spec/data/*.json. Nothing in those files
is typed by hand; rerun this script to regenerate them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from scripts.fetch_fhir_package import package_fetch

OUT = Path(__file__).resolve().parent.parent / "kaari" / "fhir" / "spec" / "data"
FHIR_TYPE_EXT = "http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type"
REGEX_EXT = "http://hl7.org/fhir/StructureDefinition/regex"

# JSON representation of each primitive (https://hl7.org/fhir/R4/json.html#primitive).
PRIMITIVE_JSON = {
    "boolean": "boolean",
    "integer": "integer",
    "positiveInt": "integer",
    "unsignedInt": "integer",
    "decimal": "number",
}


def load_bundle(package: Path, name: str) -> list[dict[str, Any]]:
    bundle = json.loads((package / name).read_text())
    return [entry["resource"] for entry in bundle.get("entry", [])]


def element_type_code(type_: dict[str, Any]) -> str:
    code = str(type_["code"])
    if code.startswith("http://hl7.org/fhirpath/System."):
        for ext in type_.get("extension", []):
            if ext.get("url") == FHIR_TYPE_EXT:
                return str(ext.get("valueUrl") or ext.get("valueUri"))
        return "string"
    return code


def target_types(type_: dict[str, Any]) -> list[str]:
    return sorted({str(p).rsplit("/", 1)[-1] for p in type_.get("targetProfile", [])})


def structure_elements(sd: dict[str, Any]) -> dict[str, dict[str, Any]]:
    root = sd["snapshot"]["element"][0]["path"]
    elements: dict[str, dict[str, Any]] = {}
    for element in sd["snapshot"]["element"][1:]:
        path = element["path"]
        relative = path[len(root) + 1 :]
        entry: dict[str, Any] = {"min": element.get("min", 0), "max": element.get("max", "*")}
        if element.get("isSummary"):
            entry["summary"] = True
        if element.get("isModifier"):
            entry["modifier"] = True
        if "contentReference" in element:
            ref_path = element["contentReference"].lstrip("#")
            entry["contentReference"] = ref_path[len(root) + 1 :] if ref_path.startswith(root + ".") else ref_path
        else:
            types = []
            for type_ in element.get("type", []):
                code = element_type_code(type_)
                item: dict[str, Any] = {"code": code}
                targets = target_types(type_)
                if targets and code in {"Reference", "canonical"}:
                    item["targets"] = targets
                # A core constraint on a data type (Quantity as SimpleQuantity) narrows its shape.
                profiles = sorted(str(p).rsplit("/", 1)[-1] for p in type_.get("profile", []))
                if profiles:
                    item["profiles"] = profiles
                types.append(item)
            entry["types"] = types
        binding = element.get("binding")
        if binding and binding.get("strength") == "required" and binding.get("valueSet"):
            entry["binding"] = binding["valueSet"].split("|")[0]
        if relative == "id" and sd["kind"] == "resource":
            entry["types"] = [{"code": "id"}]
        elements[relative] = entry
    return elements


def primitive_definition(sd: dict[str, Any]) -> dict[str, Any]:
    regex = None
    extensible = True
    for element in sd["snapshot"]["element"]:
        if element["path"].endswith(".value"):
            for type_ in element.get("type", []):
                for ext in type_.get("extension", []):
                    if ext.get("url") == REGEX_EXT:
                        regex = ext["valueString"]
        if element["path"].endswith(".extension") and element.get("max") == "0":
            extensible = False  # xhtml: Narrative.div carries no extensions
    definition: dict[str, Any] = {"json": PRIMITIVE_JSON.get(sd["id"], "string"), "regex": regex}
    if not extensible:
        definition["extensible"] = False
    return definition


def derive_types(package: Path) -> dict[str, Any]:
    definitions = load_bundle(package, "Bundle-types.json") + load_bundle(package, "Bundle-resources.json")
    primitives: dict[str, Any] = {}
    complex_types: dict[str, Any] = {}
    resources: dict[str, Any] = {}
    for sd in definitions:
        if sd.get("resourceType") != "StructureDefinition":
            continue
        kind = sd["kind"]
        if sd.get("derivation") == "constraint":
            # Only the core constraints on data types (SimpleQuantity, MoneyQuantity) are used as element types.
            if kind == "complex-type":
                complex_types[sd["id"]] = {"elements": structure_elements(sd), "constrains": sd["type"]}
            continue
        if kind == "primitive-type":
            primitives[sd["id"]] = primitive_definition(sd)
        elif kind == "complex-type":
            complex_types[sd["id"]] = {"elements": structure_elements(sd)}
        elif kind == "resource":
            resources[sd["id"]] = {
                "abstract": bool(sd.get("abstract")),
                "base": str(sd.get("baseDefinition", "")).rsplit("/", 1)[-1] or None,
                "elements": structure_elements(sd),
            }
    return {"primitives": primitives, "complex": complex_types, "resources": resources}


class ValueSetExpander:
    """Expands the value sets of required bindings from the package's own code systems and value sets."""

    def __init__(self, package: Path) -> None:
        self.code_systems: dict[str, dict[str, Any]] = {}
        self.value_sets: dict[str, dict[str, Any]] = {}
        for name in ("Bundle-valuesets.json", "Bundle-v2-valuesets.json", "Bundle-v3-valuesets.json"):
            for resource in load_bundle(package, name):
                if resource["resourceType"] == "CodeSystem":
                    self.code_systems[resource["url"]] = resource
                elif resource["resourceType"] == "ValueSet":
                    self.value_sets[resource["url"]] = resource

    def system_codes(self, system: str) -> list[str] | None:
        cs = self.code_systems.get(system)
        if cs is None or cs.get("content") not in {"complete", None}:
            return None
        codes: list[str] = []

        def walk(concepts: list[dict[str, Any]]) -> None:
            for concept in concepts:
                codes.append(concept["code"])
                walk(concept.get("concept", []))

        walk(cs.get("concept", []))
        return codes

    def descendants(self, system: str, root: str, include_self: bool) -> list[str] | None:
        cs = self.code_systems.get(system)
        if cs is None:
            return None
        found: list[str] = []

        def walk(concepts: list[dict[str, Any]], inside: bool) -> None:
            for concept in concepts:
                here = concept["code"] == root
                if inside or (here and include_self):
                    found.append(concept["code"])
                walk(concept.get("concept", []), inside or here)

        walk(cs.get("concept", []), False)
        return found

    def include_codes(self, include: dict[str, Any], seen: set[str]) -> set[tuple[str, str]] | None:
        result: set[tuple[str, str]] | None = None
        system = include.get("system")
        if system:
            if include.get("concept"):
                codes: list[str] | None = [c["code"] for c in include["concept"]]
            elif include.get("filter"):
                codes = []
                for flt in include["filter"]:
                    if flt.get("op") in {"is-a", "descendent-of"} and flt.get("property") in {"concept", "code"}:
                        part = self.descendants(system, flt["value"], include_self=flt["op"] == "is-a")
                    else:
                        part = None
                    if part is None:
                        return None
                    codes.extend(part)
            else:
                codes = self.system_codes(system)
            if codes is None:
                return None
            result = {(system, code) for code in codes}
        for url in include.get("valueSet", []):
            nested = self.expand(url, seen)
            if nested is None:
                return None
            result = nested if result is None else result & nested
        return result

    def expand(self, url: str, seen: set[str] | None = None) -> set[tuple[str, str]] | None:
        """All (system, code) pairs of the value set, or None when it cannot be enumerated here."""
        seen = set() if seen is None else seen
        url = url.split("|")[0]
        if url in seen:
            return None
        seen = seen | {url}
        vs = self.value_sets.get(url)
        if vs is None:
            return None
        compose = vs.get("compose")
        if not compose:
            contains = vs.get("expansion", {}).get("contains")
            return {(c["system"], c["code"]) for c in contains} if contains else None
        codes: set[tuple[str, str]] = set()
        for include in compose.get("include", []):
            part = self.include_codes(include, seen)
            if part is None:
                return None
            codes |= part
        for exclude in compose.get("exclude", []):
            part = self.include_codes(exclude, seen)
            if part is None:
                return None
            codes -= part
        return codes


def derive_value_sets(package: Path, types: dict[str, Any]) -> dict[str, Any]:
    urls: set[str] = set()
    for group in ("complex", "resources"):
        for definition in types[group].values():
            for element in definition["elements"].values():
                if "binding" in element:
                    urls.add(element["binding"])
    expander = ValueSetExpander(package)
    expanded: dict[str, Any] = {}
    for url in sorted(urls):
        codes = expander.expand(url)
        expanded[url] = None if codes is None else sorted([system, code] for system, code in codes)
    return expanded


def derive_search_parameters(package: Path) -> list[dict[str, Any]]:
    keep = ("id", "url", "code", "base", "type", "expression", "target", "multipleOr", "multipleAnd")
    params = []
    for sp in load_bundle(package, "Bundle-searchParams.json"):
        if sp.get("resourceType") != "SearchParameter":
            continue
        entry = {key: sp[key] for key in keep if key in sp}
        for key in ("modifier", "comparator", "chain"):
            if key in sp:
                entry[key] = sp[key]
        if "component" in sp:
            entry["component"] = [
                {"definition": c["definition"], "expression": c["expression"]} for c in sp["component"]
            ]
        params.append(entry)
    return sorted(params, key=lambda p: p["id"])


def derive_patient_compartment(package: Path) -> dict[str, list[str]]:
    definition = json.loads((package / "CompartmentDefinition-patient.json").read_text())
    return {r["code"]: r.get("param", []) for r in definition["resource"] if r.get("param")}


def write(name: str, data: Any) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / name).write_text(json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n")


def main(package: Path) -> None:
    types = derive_types(package)
    write("types.json", types)
    write("valuesets.json", derive_value_sets(package, types))
    write("search_parameters.json", derive_search_parameters(package))
    write("compartment_patient.json", derive_patient_compartment(package))
    for path in sorted(OUT.glob("*.json")):
        print(f"{path.name}: {path.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else package_fetch())
