"""What `kaari kb check` verifies beyond the file structure: codes, references, sources and the catalogue."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from kaari.safety.knowledge.model import KnowledgeFiles, Source

# WHO ATC code shapes by level: anatomical group, therapeutic, pharmacological, chemical subgroup, substance.
ATC_PATTERNS = {
    1: re.compile(r"[ABCDGHJLMNPRSV]"),
    2: re.compile(r"[ABCDGHJLMNPRSV]\d\d"),
    3: re.compile(r"[ABCDGHJLMNPRSV]\d\d[A-Z]"),
    4: re.compile(r"[ABCDGHJLMNPRSV]\d\d[A-Z][A-Z]"),
    5: re.compile(r"[ABCDGHJLMNPRSV]\d\d[A-Z][A-Z]\d\d"),
}
LEVEL_BY_LENGTH = {1: 1, 3: 2, 4: 3, 5: 4, 7: 5}
ROUTES = frozenset(
    {
        "oral",
        "sublingual",
        "buccal",
        "rectal",
        "vaginal",
        "cutaneous",
        "transdermal",
        "inhalation",
        "nasal",
        "ocular",
        "auricular",
        "subcutaneous",
        "intramuscular",
        "intravenous",
        "parenteral",
    }
)
PIM_LISTS = frozenset({"EU(7)-PIM", "Beers 2023"})
_NUMBER = r"\d+(?:[.,]\d+)?"
_STRENGTH = re.compile(
    rf"{_NUMBER}(?:/{_NUMBER})*\s?(?:mg|g|µg|ng|IU|U|mmol|ml|%)"
    rf"(?:\s?/\s?(?:{_NUMBER}\s?)?(?:ml|g|mg|µg|annos|dose|h|vrk|tabletti))?"
)


def atc_level(code: str) -> int | None:
    """The level a code has by its shape, or None when it is not a well-formed ATC code."""
    level = LEVEL_BY_LENGTH.get(len(code))
    if level is None or not ATC_PATTERNS[level].fullmatch(code):
        return None
    return level


def atc_parent(code: str) -> str | None:
    return {7: code[:5], 5: code[:4], 4: code[:3], 3: code[:1]}.get(len(code))


def _check_atc_list(kb: KnowledgeFiles) -> Iterable[str]:
    for code, entry in kb.atc.items():
        level = atc_level(code)
        if level is None:
            yield f"atc.toml {code}: not a well-formed ATC code"
            continue
        if entry.level != level:
            yield f"atc.toml {code}: level {entry.level} does not match the code's shape (level {level})"
        parent = atc_parent(code)
        if parent is not None and parent not in kb.atc:
            yield f"atc.toml {code}: parent {parent} is not in the list"
        for component in entry.components:
            if atc_level(component) != 5 or component not in kb.atc:
                yield f"atc.toml {code}: component {component} is not a level-5 code in the list"


def _check_terms(kb: KnowledgeFiles, where: str, terms: Iterable[str], *, substance_only: bool = False) -> list[str]:
    problems = []
    for term in terms:
        if term.startswith("@"):
            if substance_only:
                problems.append(f"{where}: '{term}' must be an ATC substance code, not a group")
            elif term[1:] not in kb.groups:
                problems.append(f"{where}: group '{term}' is not defined in groups.toml")
            continue
        level = atc_level(term)
        if level is None:
            problems.append(f"{where}: '{term}' is not a well-formed ATC code")
        elif term not in kb.atc:
            problems.append(f"{where}: ATC code {term} is not in the shipped ATC list (atc.toml)")
        elif substance_only and level != 5:
            problems.append(f"{where}: {term} must be a level-5 (substance) code")
    return problems


def _check_source(where: str, source: Source) -> list[str]:
    if source.label and source.url and not re.match(r"https?://\S+$", source.url):
        return [f"{where}: source url '{source.url}' is not an http(s) URL"]
    return []


def _check_rules(kb: KnowledgeFiles) -> Iterable[str]:
    for group in kb.groups.values():
        yield from _check_terms(kb, f"groups.toml {group.id}", (*group.atc, *group.exclude))
        yield from _check_source(f"groups.toml {group.id}", group.source)
    ids = {rule.id for rule in kb.interactions}
    for rule in kb.interactions:
        where = f"interactions.toml {rule.id}"
        for part in rule.parts:
            yield from _check_terms(kb, where, part)
        yield from _check_terms(kb, where, rule.replace_with, substance_only=True)
        yield from _check_source(where, rule.source)
        for other in rule.supersedes:
            if other not in ids:
                yield f"{where}: supersedes unknown rule '{other}'"
    for allergy_class in kb.allergy_classes:
        yield from _check_terms(kb, f"allergy.toml {allergy_class.id}", allergy_class.atc)
        yield from _check_source(f"allergy.toml {allergy_class.id}", allergy_class.source)
    for cross in kb.cross_reactivity:
        yield from _check_terms(kb, f"allergy.toml {cross.id}", cross.members, substance_only=True)
        yield from _check_source(f"allergy.toml {cross.id}", cross.source)
        if len(cross.members) < 2:
            yield f"allergy.toml {cross.id}: a cross-reactivity group needs at least two members"
    for dup_class in kb.duplicate_classes:
        yield from _check_terms(kb, f"duplicates.toml {dup_class.id}", dup_class.atc)
        yield from _check_source(f"duplicates.toml {dup_class.id}", dup_class.source)
    for exception in kb.duplicate_exceptions:
        for part in exception.parts:
            yield from _check_terms(kb, f"duplicates.toml {exception.id}", part)
        yield from _check_source(f"duplicates.toml {exception.id}", exception.source)
    for renal in kb.renal:
        where = f"renal.toml {renal.id}"
        yield from _check_terms(kb, where, renal.atc)
        yield from _check_terms(kb, where, renal.replace_with, substance_only=True)
        yield from _check_source(where, renal.source)
        if not 0 < renal.below <= 120:
            yield f"{where}: threshold {renal.below} is outside 0-120 mL/min"
        if renal.action == "max_dose" and not renal.max_dose:
            yield f"{where}: action max_dose needs 'max_dose'"
    for pim in kb.pims:
        where = f"pim.toml {pim.id}"
        yield from _check_terms(kb, where, pim.atc)
        yield from _check_source(where, pim.source)
        for name in pim.lists:
            if name not in PIM_LISTS:
                yield f"{where}: list '{name}' is not one of {', '.join(sorted(PIM_LISTS))}"


def _check_unique_ids(kb: KnowledgeFiles) -> Iterable[str]:
    ids = Counter(
        [
            *(r.id for r in kb.interactions),
            *(c.id for c in kb.allergy_classes),
            *(g.id for g in kb.cross_reactivity),
            *(c.id for c in kb.duplicate_classes),
            *(e.id for e in kb.duplicate_exceptions),
            *(r.id for r in kb.renal),
            *(p.id for p in kb.pims),
        ]
    )
    for rule_id, count in sorted(ids.items()):
        if count > 1:
            yield f"rule id '{rule_id}' is used {count} times"


def _check_catalogue(kb: KnowledgeFiles) -> Iterable[str]:
    for form, route in kb.form_routes.items():
        if route not in ROUTES:
            yield f"catalogue.toml [form_routes]: route '{route}' of '{form}' is not one of {', '.join(sorted(ROUTES))}"
    seen_atc: set[str] = set()
    seen_products: set[str] = set()
    for medicine in kb.medicines:
        where = f"catalogue.toml {medicine.atc}"
        yield from _check_terms(kb, where, [medicine.atc])
        if atc_level(medicine.atc) not in (4, 5) or (atc_level(medicine.atc) == 4 and _has_children(kb, medicine.atc)):
            yield f"{where}: a medicine is coded at substance level (level 4 only where WHO has no level 5 below it)"
        if medicine.atc in seen_atc:
            yield f"{where}: the medicine is listed twice"
        seen_atc.add(medicine.atc)
        if medicine.name_fi != medicine.name_fi.strip() or not medicine.name_fi:
            yield f"{where}: Finnish name is empty or padded"
        for product in medicine.products:
            if product.form not in kb.form_routes:
                yield f"{where}: form '{product.form}' has no route in [form_routes]"
            if not _STRENGTH.fullmatch(product.strength):
                yield f"{where}: strength '{product.strength}' is not a number with a unit"
            if product.id in seen_products:
                yield f"{where}: product {product.id} is listed twice"
            seen_products.add(product.id)
            for package in product.packages:
                if not re.fullmatch(r"\d{6}", package.vnr):
                    yield f"{where}: VNR '{package.vnr}' is not six digits"


def _has_children(kb: KnowledgeFiles, code: str) -> bool:
    return any(other != code and other.startswith(code) for other in kb.atc)


def _check_onc(kb: KnowledgeFiles) -> Iterable[str]:
    numbers = Counter(entry.number for entry in kb.onc)
    for number in range(1, 16):
        if numbers[number] != 1:
            yield f"onc.toml: interaction {number} is listed {numbers[number]} times (expected once)"
    covered = {number for rule in kb.interactions for number in rule.onc}
    for entry in kb.onc:
        where = f"onc.toml {entry.number}"
        yield from _check_terms(kb, where, (*entry.objects, *entry.precipitants), substance_only=True)
        if entry.number not in covered:
            yield f"{where}: no interaction rule is tagged with onc = [{entry.number}]"


def _check_coverage(kb: KnowledgeFiles) -> Iterable[str]:
    """A term under which no listed medicine falls can never fire: usually a typo or a missing ATC entry."""
    products = {m.atc for m in kb.medicines}
    medicines = [code for code, entry in kb.atc.items() if entry.level == 5 or code in products]

    def covered(term: str) -> bool:
        if term.startswith("@"):
            group = kb.groups.get(term[1:])
            return group is not None and any(covered(t) for t in group.atc)
        return any(code.startswith(term) for code in medicines)

    where_terms: list[tuple[str, tuple[str, ...]]] = [
        *((f"groups.toml {g.id}", g.atc) for g in kb.groups.values()),
        *((f"interactions.toml {r.id}", part) for r in kb.interactions for part in r.parts),
        *((f"allergy.toml {c.id}", c.atc) for c in kb.allergy_classes),
        *((f"duplicates.toml {c.id}", c.atc) for c in kb.duplicate_classes),
        *((f"duplicates.toml {e.id}", part) for e in kb.duplicate_exceptions for part in e.parts),
        *((f"renal.toml {r.id}", r.atc) for r in kb.renal),
        *((f"pim.toml {p.id}", p.atc) for p in kb.pims),
    ]
    for where, terms in where_terms:
        for term in terms:
            if (
                (term.startswith("@") and term[1:] not in kb.groups)
                or atc_level(term.lstrip("@")) is None
                and not term.startswith("@")
            ):
                continue  # already reported as unknown or malformed
            if not covered(term):
                yield f"{where}: no medicine in the ATC list falls under '{term}'"


def knowledge_problems(kb: KnowledgeFiles) -> list[str]:
    """Every problem found in the knowledge files, structural ones first. Empty when the base is sound."""
    return [
        *kb.problems,
        *_check_atc_list(kb),
        *_check_rules(kb),
        *_check_unique_ids(kb),
        *_check_catalogue(kb),
        *_check_onc(kb),
        *_check_coverage(kb),
    ]
