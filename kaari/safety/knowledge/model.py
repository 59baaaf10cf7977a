"""The shapes of the medication knowledge, as read from the data files beside this module.

Every rule carries the `Source` it was taken from. ATC terms in rules are either an ATC code at any level (it
matches that code and everything below it) or `@group` (a named group from groups.toml).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["contraindicated", "major", "moderate", "minor"]
SEVERITIES: tuple[Severity, ...] = ("contraindicated", "major", "moderate", "minor")
RenalMeasure = Literal["egfr", "crcl"]
RenalAction = Literal["contraindicated", "avoid", "max_dose", "reduce_dose", "monitor"]
RENAL_ACTIONS: tuple[RenalAction, ...] = ("contraindicated", "avoid", "max_dose", "reduce_dose", "monitor")


@dataclass(frozen=True, slots=True)
class Source:
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class FileMeta:
    """The head of every knowledge file: what it is, its version and date, and where it comes from."""

    id: str
    version: str
    date: str
    title: str
    source: Source | None


@dataclass(frozen=True, slots=True)
class AtcCode:
    code: str
    level: int
    name_en: str
    name_fi: str | None = None
    # For fixed combinations: the substances they contain, so that rules about a substance see it.
    components: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DrugGroup:
    """A named set of medicines sharing a mechanism, which may cross ATC classes (e.g. MAO inhibition)."""

    id: str
    name: str
    atc: tuple[str, ...]
    exclude: tuple[str, ...]
    source: Source


@dataclass(frozen=True, slots=True)
class InteractionRule:
    """Fires when each part is matched by a different medicine. Two parts for a pair, three for e.g. the triple
    whammy. `supersedes` names rules that say less about the same medicines and stay silent when this one fires."""

    id: str
    severity: Severity
    parts: tuple[tuple[str, ...], ...]
    effect: str
    mechanism: str
    recommendation: str
    source: Source
    onc: tuple[int, ...] = ()
    supersedes: tuple[str, ...] = ()
    replace_with: tuple[str, ...] = ()
    # Which part the `replace_with` substances stand in for (default: the last part).
    replace_part: int = -1


@dataclass(frozen=True, slots=True)
class AllergyClass:
    """An allergy to any member is treated as an allergy to the whole class."""

    id: str
    name: str
    atc: tuple[str, ...]
    source: Source


@dataclass(frozen=True, slots=True)
class CrossReactivityGroup:
    """Members of different classes that share the structure an allergy is directed at (e.g. an R1 side chain)."""

    id: str
    name: str
    members: tuple[str, ...]
    note: str
    source: Source


@dataclass(frozen=True, slots=True)
class DuplicateClass:
    """A therapeutic class wider or narrower than ATC level 4, for duplicate-therapy purposes."""

    id: str
    name: str
    atc: tuple[str, ...]
    source: Source


@dataclass(frozen=True, slots=True)
class DuplicateException:
    """A combination within one class that is intended, e.g. a reliever with a maintenance bronchodilator.
    With `parts`, one medicine must match each part; `when_one_as_needed` also requires that exactly one of the
    two is taken as needed (background and breakthrough dosing)."""

    id: str
    name: str
    parts: tuple[tuple[str, ...], ...]
    when_one_as_needed: bool
    source: Source


@dataclass(frozen=True, slots=True)
class RenalRule:
    id: str
    atc: tuple[str, ...]
    measure: RenalMeasure
    below: float
    action: RenalAction
    advice: str
    source: Source
    max_dose: str | None = None
    replace_with: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PimEntry:
    id: str
    atc: tuple[str, ...]
    lists: tuple[str, ...]
    reason: str
    alternatives: str
    source: Source
    note: str = ""


@dataclass(frozen=True, slots=True)
class Package:
    """A sales package. The national catalogue identifies packages by their VNR number (Nordic article number)."""

    vnr: str
    size: str


@dataclass(frozen=True, slots=True)
class Product:
    """A medicinal product at the level a prescriber picks: substance, form and strength."""

    id: str
    atc: str
    name_fi: str
    name_en: str
    form: str
    route: str
    strength: str
    trade_name: str | None = None
    packages: tuple[Package, ...] = ()


@dataclass(frozen=True, slots=True)
class Medicine:
    atc: str
    name_fi: str
    name_en: str
    products: tuple[Product, ...]


@dataclass(frozen=True, slots=True)
class OncInteraction:
    """One of the ONC high-priority interactions (Phansalkar et al. 2012) with its object and precipitant
    members as ATC substance codes. Used to prove coverage, not to fire cards."""

    number: int
    title: str
    objects: tuple[str, ...]
    precipitants: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class KnowledgeFiles:
    """Everything read from the data files, before indexing."""

    metas: tuple[FileMeta, ...]
    atc: dict[str, AtcCode]
    groups: dict[str, DrugGroup]
    interactions: tuple[InteractionRule, ...]
    allergy_classes: tuple[AllergyClass, ...]
    allergy_default: Source
    cross_reactivity: tuple[CrossReactivityGroup, ...]
    duplicate_same_substance: Source
    duplicate_same_class: Source
    duplicate_classes: tuple[DuplicateClass, ...]
    duplicate_exceptions: tuple[DuplicateException, ...]
    renal: tuple[RenalRule, ...]
    pim_min_age: int
    pims: tuple[PimEntry, ...]
    medicines: tuple[Medicine, ...]
    form_routes: dict[str, str]
    onc: tuple[OncInteraction, ...]
    problems: tuple[str, ...] = field(default=())
