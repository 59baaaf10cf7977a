"""Reads the TOML knowledge files into the model. Structural problems are collected, not raised, so that
`kaari kb check` can list all of them at once."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, cast

from kaari.safety.knowledge.model import (
    SEVERITIES,
    AllergyClass,
    AtcCode,
    CrossReactivityGroup,
    DrugGroup,
    DuplicateClass,
    DuplicateException,
    FileMeta,
    InteractionRule,
    KnowledgeFiles,
    Medicine,
    OncInteraction,
    PimEntry,
    Product,
    RenalAction,
    RenalMeasure,
    RenalRule,
    Severity,
    Source,
)

KNOWLEDGE_DIR = Path(__file__).resolve().parent
FILES = ("atc", "groups", "interactions", "allergy", "duplicates", "renal", "pim", "catalogue", "onc")
_MISSING = Source(label="(missing)", url="")


class _Reader:
    """Typed access to one TOML table, recording what is missing or mistyped under a readable location."""

    def __init__(self, problems: list[str], where: str, table: dict[str, Any]) -> None:
        self.problems = problems
        self.where = where
        self.table = table

    def text(self, key: str, *, required: bool = True, default: str = "") -> str:
        value = self.table.get(key)
        if value is None:
            if required:
                self.problems.append(f"{self.where}: '{key}' is missing")
            return default
        if not isinstance(value, str) or (required and not value.strip()):
            self.problems.append(f"{self.where}: '{key}' must be a non-empty string")
            return default
        return value

    def number(self, key: str) -> float:
        value = self.table.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problems.append(f"{self.where}: '{key}' must be a number")
            return 0.0
        return float(value)

    def texts(self, key: str, *, required: bool = True) -> tuple[str, ...]:
        value = self.table.get(key)
        if value is None:
            if required:
                self.problems.append(f"{self.where}: '{key}' is missing")
            return ()
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problems.append(f"{self.where}: '{key}' must be a list of strings")
            return ()
        return tuple(value)

    def source(self, key: str = "source") -> Source:
        value = self.table.get(key)
        if not isinstance(value, dict):
            self.problems.append(f"{self.where}: no '{key}' (every rule needs a source with a label and a url)")
            return _MISSING
        label, url = value.get("label"), value.get("url")
        if not isinstance(label, str) or not label.strip():
            self.problems.append(f"{self.where}: {key}.label is missing")
            label = ""
        if not isinstance(url, str) or not url.strip():
            self.problems.append(f"{self.where}: {key}.url is missing (a URL or a bibliographic reference)")
            url = ""
        return Source(label=label, url=url)

    def tables(self, key: str) -> list[_Reader]:
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.problems.append(f"{self.where}: '{key}' must be an array of tables")
            return []
        return [_Reader(self.problems, f"{self.where} {key}[{i}]", item) for i, item in enumerate(value)]


def _label(reader: _Reader, index_key: str = "id") -> _Reader:
    """Name a table by its id when it has one, so messages point at the rule rather than a position."""
    ident = reader.table.get(index_key)
    if isinstance(ident, str | int):
        file_part = reader.where.split(" ", 1)[0]
        reader.where = f"{file_part} {ident}"
    return reader


def _read_file(directory: Path, name: str, problems: list[str]) -> dict[str, Any]:
    path = directory / f"{name}.toml"
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        problems.append(f"{name}.toml: file is missing")
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"{name}.toml: not valid TOML: {exc}")
    return {}


def _meta(name: str, data: dict[str, Any], problems: list[str]) -> FileMeta:
    table = data.get("meta")
    if not isinstance(table, dict):
        problems.append(f"{name}.toml: [meta] is missing")
        table = {}
    reader = _Reader(problems, f"{name}.toml [meta]", table)
    meta = FileMeta(
        id=reader.text("id"),
        version=reader.text("version"),
        date=reader.text("date"),
        title=reader.text("title"),
        source=reader.source() if "source" in table else None,
    )
    if meta.id and meta.id != name:
        problems.append(f"{name}.toml [meta]: id '{meta.id}' does not match the file name")
    if meta.date and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta.date):
        problems.append(f"{name}.toml [meta]: date '{meta.date}' is not YYYY-MM-DD")
    return meta


def _severity(reader: _Reader) -> Severity:
    value = reader.text("severity")
    for severity in SEVERITIES:
        if value == severity:
            return severity
    reader.problems.append(f"{reader.where}: severity '{value}' is not one of {', '.join(SEVERITIES)}")
    return "minor"


def _atc(data: dict[str, Any], problems: list[str]) -> dict[str, AtcCode]:
    codes: dict[str, AtcCode] = {}
    for reader in _Reader(problems, "atc.toml", data).tables("codes"):
        _label(reader, "code")
        code = reader.text("code")
        level = reader.table.get("level")
        if not isinstance(level, int) or not 1 <= level <= 5:
            problems.append(f"{reader.where}: level must be an integer from 1 to 5")
            level = 0
        if code in codes:
            problems.append(f"{reader.where}: code listed twice")
        codes[code] = AtcCode(
            code=code,
            level=level,
            name_en=reader.text("en"),
            name_fi=reader.text("fi", required=False) or None,
            components=reader.texts("components", required=False),
        )
    return codes


def _groups(data: dict[str, Any], problems: list[str]) -> dict[str, DrugGroup]:
    groups: dict[str, DrugGroup] = {}
    for reader in _Reader(problems, "groups.toml", data).tables("group"):
        _label(reader)
        group = DrugGroup(
            id=reader.text("id"),
            name=reader.text("name"),
            atc=reader.texts("atc"),
            exclude=reader.texts("exclude", required=False),
            source=reader.source(),
        )
        if group.id in groups:
            problems.append(f"{reader.where}: duplicate group id")
        groups[group.id] = group
    return groups


def _interactions(data: dict[str, Any], problems: list[str]) -> tuple[InteractionRule, ...]:
    rules = []
    for reader in _Reader(problems, "interactions.toml", data).tables("interaction"):
        _label(reader)
        raw_parts = reader.table.get("parts")
        parts: tuple[tuple[str, ...], ...] = ()
        if (
            isinstance(raw_parts, list)
            and 2 <= len(raw_parts) <= 3
            and all(isinstance(p, list) and p and all(isinstance(t, str) for t in p) for p in raw_parts)
        ):
            parts = tuple(tuple(p) for p in raw_parts)
        else:
            problems.append(f"{reader.where}: 'parts' must be 2 or 3 non-empty lists of ATC terms")
        onc = reader.table.get("onc", [])
        if not isinstance(onc, list) or not all(isinstance(n, int) and 1 <= n <= 15 for n in onc):
            problems.append(f"{reader.where}: 'onc' must list ONC interaction numbers 1-15")
            onc = []
        rules.append(
            InteractionRule(
                id=reader.text("id"),
                severity=_severity(reader),
                parts=parts,
                effect=reader.text("effect"),
                mechanism=reader.text("mechanism"),
                recommendation=reader.text("recommendation"),
                source=reader.source(),
                onc=tuple(onc),
                supersedes=reader.texts("supersedes", required=False),
                replace_with=reader.texts("replace_with", required=False),
                replace_part=_replace_part(reader, len(parts)),
            )
        )
    return tuple(rules)


def _replace_part(reader: _Reader, part_count: int) -> int:
    value = reader.table.get("replace_part", part_count - 1)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < max(part_count, 1):
        reader.problems.append(f"{reader.where}: 'replace_part' must index one of the parts")
        return -1
    return value


def _allergy(
    data: dict[str, Any], problems: list[str]
) -> tuple[tuple[AllergyClass, ...], Source, tuple[CrossReactivityGroup, ...]]:
    root = _Reader(problems, "allergy.toml", data)
    default_table = data.get("default_class")
    default = (
        _Reader(problems, "allergy.toml [default_class]", default_table).source()
        if isinstance(default_table, dict)
        else _MISSING
    )
    if not isinstance(default_table, dict):
        problems.append("allergy.toml: [default_class] with its source is missing")
    classes = tuple(
        AllergyClass(id=r.text("id"), name=r.text("name"), atc=r.texts("atc"), source=r.source())
        for r in map(_label, root.tables("class"))
    )
    groups = tuple(
        CrossReactivityGroup(
            id=r.text("id"), name=r.text("name"), members=r.texts("members"), note=r.text("note"), source=r.source()
        )
        for r in map(_label, root.tables("cross_reactivity"))
    )
    return classes, default, groups


def _duplicates(
    data: dict[str, Any], problems: list[str]
) -> tuple[Source, Source, tuple[DuplicateClass, ...], tuple[DuplicateException, ...]]:
    root = _Reader(problems, "duplicates.toml", data)
    sources = []
    for key in ("same_substance", "same_class"):
        table = data.get(key)
        if isinstance(table, dict):
            sources.append(_Reader(problems, f"duplicates.toml [{key}]", table).source())
        else:
            problems.append(f"duplicates.toml: [{key}] with its source is missing")
            sources.append(_MISSING)
    classes = tuple(
        DuplicateClass(id=r.text("id"), name=r.text("name"), atc=r.texts("atc"), source=r.source())
        for r in map(_label, root.tables("class"))
    )
    exceptions = []
    for r in map(_label, root.tables("exception")):
        raw_parts = r.table.get("parts")
        if not (
            isinstance(raw_parts, list) and len(raw_parts) in (1, 2) and all(isinstance(p, list) for p in raw_parts)
        ):
            problems.append(f"{r.where}: 'parts' must be one or two lists of ATC terms")
            raw_parts = []
        exceptions.append(
            DuplicateException(
                id=r.text("id"),
                name=r.text("name"),
                parts=tuple(tuple(str(t) for t in p) for p in raw_parts),
                when_one_as_needed=bool(r.table.get("when_one_as_needed", False)),
                source=r.source(),
            )
        )
    return sources[0], sources[1], classes, tuple(exceptions)


def _renal(data: dict[str, Any], problems: list[str]) -> tuple[RenalRule, ...]:
    rules = []
    for r in map(_label, _Reader(problems, "renal.toml", data).tables("rule")):
        measure = r.text("measure")
        if measure not in ("egfr", "crcl"):
            problems.append(f"{r.where}: measure '{measure}' must be 'egfr' or 'crcl'")
            measure = "egfr"
        action = r.text("action")
        if action not in ("contraindicated", "avoid", "max_dose", "reduce_dose", "monitor"):
            problems.append(f"{r.where}: action '{action}' is not known")
            action = "monitor"
        rules.append(
            RenalRule(
                id=r.text("id"),
                atc=r.texts("atc"),
                measure=cast(RenalMeasure, measure),
                below=r.number("below"),
                action=cast(RenalAction, action),
                advice=r.text("advice"),
                source=r.source(),
                max_dose=r.text("max_dose", required=False) or None,
                replace_with=r.texts("replace_with", required=False),
            )
        )
    return tuple(rules)


def _pims(data: dict[str, Any], problems: list[str]) -> tuple[int, tuple[PimEntry, ...]]:
    min_age = data.get("min_age")
    if not isinstance(min_age, int):
        problems.append("pim.toml: 'min_age' must be an integer")
        min_age = 75
    entries = tuple(
        PimEntry(
            id=r.text("id"),
            atc=r.texts("atc"),
            lists=r.texts("lists"),
            reason=r.text("reason"),
            alternatives=r.text("alternatives", required=False),
            source=r.source(),
            note=r.text("note", required=False),
        )
        for r in map(_label, _Reader(problems, "pim.toml", data).tables("pim"))
    )
    return min_age, entries


def product_id(*, atc: str, form: str, strength: str) -> str:
    """A stable id for a curated product; national records bring their own."""
    slug = re.sub(r"[^a-z0-9.]+", "-", f"{form}-{strength}".lower()).strip("-")
    return f"{atc}-{slug}"


def _catalogue(data: dict[str, Any], problems: list[str]) -> tuple[tuple[Medicine, ...], dict[str, str]]:
    form_routes = data.get("form_routes")
    if not isinstance(form_routes, dict) or not all(isinstance(v, str) for v in form_routes.values()):
        problems.append("catalogue.toml: [form_routes] must map each form to a route")
        form_routes = {}
    medicines = []
    for r in _Reader(problems, "catalogue.toml", data).tables("medicine"):
        _label(r, "atc")
        atc, name_fi, name_en = r.text("atc"), r.text("fi"), r.text("en")
        forms = r.table.get("forms")
        if not isinstance(forms, dict) or not forms:
            problems.append(f"{r.where}: 'forms' must map at least one form to its strengths")
            forms = {}
        products = []
        for form, strengths in forms.items():
            if not isinstance(strengths, list) or not strengths or not all(isinstance(s, str) for s in strengths):
                problems.append(f"{r.where}: form '{form}' needs a list of strengths")
                continue
            for strength in strengths:
                products.append(
                    Product(
                        id=product_id(atc=atc, form=form, strength=strength),
                        atc=atc,
                        name_fi=name_fi,
                        name_en=name_en,
                        form=form,
                        route=form_routes.get(form, ""),
                        strength=strength,
                    )
                )
        medicines.append(Medicine(atc=atc, name_fi=name_fi, name_en=name_en, products=tuple(products)))
    return tuple(medicines), dict(form_routes)


def _onc(data: dict[str, Any], problems: list[str]) -> tuple[OncInteraction, ...]:
    entries = []
    for r in (_label(x, "number") for x in _Reader(problems, "onc.toml", data).tables("interaction")):
        number = r.table.get("number")
        if not isinstance(number, int):
            problems.append(f"{r.where}: 'number' must be an integer")
            number = 0
        entries.append(
            OncInteraction(
                number=number,
                title=r.text("title"),
                objects=r.texts("objects"),
                precipitants=r.texts("precipitants"),
                note=r.text("note", required=False),
            )
        )
    return tuple(entries)


def knowledge_files_read(directory: Path = KNOWLEDGE_DIR) -> KnowledgeFiles:
    problems: list[str] = []
    raw = {name: _read_file(directory, name, problems) for name in FILES}
    metas = tuple(_meta(name, raw[name], problems) for name in FILES if raw[name])
    classes, allergy_default, cross = _allergy(raw["allergy"], problems)
    same_substance, same_class, dup_classes, dup_exceptions = _duplicates(raw["duplicates"], problems)
    min_age, pims = _pims(raw["pim"], problems)
    medicines, form_routes = _catalogue(raw["catalogue"], problems)
    return KnowledgeFiles(
        metas=metas,
        atc=_atc(raw["atc"], problems),
        groups=_groups(raw["groups"], problems),
        interactions=_interactions(raw["interactions"], problems),
        allergy_classes=classes,
        allergy_default=allergy_default,
        cross_reactivity=cross,
        duplicate_same_substance=same_substance,
        duplicate_same_class=same_class,
        duplicate_classes=dup_classes,
        duplicate_exceptions=dup_exceptions,
        renal=_renal(raw["renal"], problems),
        pim_min_age=min_age,
        pims=pims,
        medicines=medicines,
        form_routes=form_routes,
        onc=_onc(raw["onc"], problems),
        problems=tuple(problems),
    )
