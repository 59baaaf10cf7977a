"""Pick real substances that fall under a rule's ATC terms, so that every rule in the data files gets a test."""

from __future__ import annotations

from collections.abc import Iterable

from kaari.safety.knowledge import KnowledgeBase, knowledge_base


def substance_codes(kb: KnowledgeBase) -> list[str]:
    """Level-5 codes, plain substances before combinations, catalogue medicines first."""
    in_catalogue = {m.atc for m in kb.medicines}
    codes = [c for c, entry in kb.atc.items() if entry.level == 5]
    return sorted(codes, key=lambda c: (bool(kb.atc[c].components), c not in in_catalogue, c))


def representative(terms: Iterable[str], *, exclude: Iterable[str] = (), kb: KnowledgeBase | None = None) -> str:
    kb = kb or knowledge_base()
    terms, excluded = tuple(terms), set(exclude)
    for code in substance_codes(kb):
        if code not in excluded and kb.matches(code, terms):
            return code
    raise LookupError(f"no substance in the ATC list falls under {terms}")
