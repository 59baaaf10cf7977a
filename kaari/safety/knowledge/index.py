"""The knowledge base as the rules use it: indexes from ATC code to the rules that concern it, built once.

A medicine's code is looked up by its own prefixes (its ATC levels), so a rule written at class level finds
every substance below it without scanning rules at order time. Answers are memoised per code.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from kaari.safety.knowledge.model import (
    AllergyClass,
    AtcCode,
    CrossReactivityGroup,
    DuplicateClass,
    DuplicateException,
    InteractionRule,
    KnowledgeFiles,
    Medicine,
    PimEntry,
    Product,
    RenalRule,
)

_PREFIX_LENGTHS = (1, 3, 4, 5, 7)


def atc_prefixes(code: str) -> tuple[str, ...]:
    """The code and the classes above it: N06AB04 -> N, N06, N06A, N06AB, N06AB04."""
    return tuple(code[:n] for n in _PREFIX_LENGTHS if n <= len(code))


@dataclass(frozen=True, slots=True)
class PartHit:
    rule_index: int
    part_index: int


class _TermIndex:
    """Which keys (rules, parts, classes) a code matches, for terms that are ATC prefixes or `@groups`."""

    def __init__(self, groups_of: _GroupIndex) -> None:
        self._by_prefix: dict[str, list[object]] = defaultdict(list)
        self._by_group: dict[str, list[object]] = defaultdict(list)
        self._groups_of = groups_of
        self._memo: dict[str, tuple[object, ...]] = {}

    def add(self, terms: Iterable[str], key: object) -> None:
        for term in terms:
            if term.startswith("@"):
                self._by_group[term[1:]].append(key)
            else:
                self._by_prefix[term].append(key)

    def keys_for(self, code: str) -> tuple[object, ...]:
        found = self._memo.get(code)
        if found is None:
            keys: list[object] = []
            for prefix in atc_prefixes(code):
                keys.extend(self._by_prefix.get(prefix, ()))
            for group in self._groups_of.groups_for(code):
                keys.extend(self._by_group.get(group, ()))
            found = tuple(dict.fromkeys(keys))
            self._memo[code] = found
        return found


class _GroupIndex:
    def __init__(self, kb: KnowledgeFiles) -> None:
        self._include: dict[str, list[str]] = defaultdict(list)
        self._exclude: dict[str, set[str]] = defaultdict(set)
        for group in kb.groups.values():
            for term in group.atc:
                self._include[term].append(group.id)
            for term in group.exclude:
                self._exclude[group.id].add(term)
        self._memo: dict[str, frozenset[str]] = {}

    def groups_for(self, code: str) -> frozenset[str]:
        found = self._memo.get(code)
        if found is None:
            prefixes = atc_prefixes(code)
            candidates = {g for p in prefixes for g in self._include.get(p, ())}
            found = frozenset(g for g in candidates if not self._exclude[g].intersection(prefixes))
            self._memo[code] = found
        return found


class KnowledgeBase:
    """The loaded, validated and indexed medication knowledge. Build it once; it is read-only afterwards."""

    def __init__(self, files: KnowledgeFiles) -> None:
        self.files = files
        self.atc: dict[str, AtcCode] = files.atc
        self.interactions: tuple[InteractionRule, ...] = files.interactions
        self.interaction_by_id = {rule.id: rule for rule in files.interactions}
        self.renal_rules: tuple[RenalRule, ...] = files.renal
        self.pims: tuple[PimEntry, ...] = files.pims
        self.pim_min_age = files.pim_min_age
        self.medicines: tuple[Medicine, ...] = files.medicines
        self.products: dict[str, Product] = {p.id: p for m in files.medicines for p in m.products}
        self._groups = _GroupIndex(files)
        self._interaction_parts = _TermIndex(self._groups)
        for rule_index, rule in enumerate(files.interactions):
            for part_index, part in enumerate(rule.parts):
                self._interaction_parts.add(part, PartHit(rule_index, part_index))
        self._allergy_classes = _TermIndex(self._groups)
        for allergy_class in files.allergy_classes:
            self._allergy_classes.add(allergy_class.atc, allergy_class)
        self._cross = _TermIndex(self._groups)
        for group in files.cross_reactivity:
            self._cross.add(group.members, group)
        self._dup_classes = _TermIndex(self._groups)
        for dup_class in files.duplicate_classes:
            self._dup_classes.add(dup_class.atc, dup_class)
        self._dup_exception_parts = _TermIndex(self._groups)
        for exception in files.duplicate_exceptions:
            for part_index, part in enumerate(exception.parts):
                self._dup_exception_parts.add(part, (exception, part_index))
        self._renal = _TermIndex(self._groups)
        for renal in files.renal:
            self._renal.add(renal.atc, renal)
        self._pim = _TermIndex(self._groups)
        for pim in files.pims:
            self._pim.add(pim.atc, pim)
        self._substances_memo: dict[str, tuple[str, ...]] = {}

    def name(self, code: str) -> str:
        entry = self.atc.get(code)
        return entry.name_en if entry else code

    def substances(self, code: str) -> tuple[str, ...]:
        """The substances a code stands for: a combination's components, else the code itself."""
        found = self._substances_memo.get(code)
        if found is None:
            entry = self.atc.get(code)
            if entry and entry.components:
                found = tuple(dict.fromkeys(s for c in entry.components for s in self.substances(c)))
            else:
                found = (code,)
            self._substances_memo[code] = found
        return found

    def interaction_hits(self, code: str) -> tuple[PartHit, ...]:
        return tuple(k for k in self._interaction_parts.keys_for(code) if isinstance(k, PartHit))

    def allergy_classes(self, code: str) -> tuple[AllergyClass, ...]:
        return tuple(k for k in self._allergy_classes.keys_for(code) if isinstance(k, AllergyClass))

    def cross_reactivity(self, code: str) -> tuple[CrossReactivityGroup, ...]:
        return tuple(k for k in self._cross.keys_for(code) if isinstance(k, CrossReactivityGroup))

    def duplicate_classes(self, code: str) -> tuple[DuplicateClass, ...]:
        return tuple(k for k in self._dup_classes.keys_for(code) if isinstance(k, DuplicateClass))

    def duplicate_exception_parts(self, code: str) -> tuple[tuple[DuplicateException, int], ...]:
        return tuple(k for k in self._dup_exception_parts.keys_for(code) if isinstance(k, tuple))

    def renal_rules_for(self, code: str) -> tuple[RenalRule, ...]:
        return tuple(k for k in self._renal.keys_for(code) if isinstance(k, RenalRule))

    def pims_for(self, code: str) -> tuple[PimEntry, ...]:
        return tuple(k for k in self._pim.keys_for(code) if isinstance(k, PimEntry))

    def in_group(self, code: str, group_id: str) -> bool:
        return group_id in self._groups.groups_for(code)

    def matches(self, code: str, terms: Iterable[str]) -> bool:
        """Whether a code falls under any of the terms (ATC prefixes or `@groups`)."""
        prefixes = atc_prefixes(code)
        groups = self._groups.groups_for(code)
        return any((t[1:] in groups) if t.startswith("@") else (t in prefixes) for t in terms)
