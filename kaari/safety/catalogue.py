"""Drug search over the medicine catalogue, for the prescribing workspace.

The curated catalogue is one source of Product records; the national catalogue (with trade names and VNR package
numbers) will be another, loaded into the same Product/Package model. Search and VNR lookup work on either.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from kaari.safety.knowledge import knowledge_base
from kaari.safety.knowledge.model import Medicine, Product


def _fold(text: str) -> str:
    """Lower-case without diacritics, so 'hydroksitsiini' is found as typed on any keyboard."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def medicine_search(*, query: str, limit: int = 20, medicines: Iterable[Medicine] | None = None) -> list[Medicine]:
    """Medicines whose Finnish or English name or ATC code matches the query: name prefixes first, then words
    starting with the query, then substrings."""
    wanted = _fold(query.strip())
    if not wanted:
        return []
    ranked: list[tuple[int, str, Medicine]] = []
    for medicine in medicines if medicines is not None else knowledge_base().medicines:
        names = [_fold(medicine.name_fi), _fold(medicine.name_en)]
        if medicine.atc.lower().startswith(wanted) or any(n.startswith(wanted) for n in names):
            rank = 0
        elif any(word.startswith(wanted) for n in names for word in n.replace(",", " ").split()):
            rank = 1
        elif any(wanted in n for n in names):
            rank = 2
        else:
            continue
        ranked.append((rank, names[0], medicine))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [medicine for _, _, medicine in ranked[:limit]]


def product_by_vnr(*, vnr: str, products: Iterable[Product] | None = None) -> Product | None:
    """The product a VNR package number belongs to (national catalogue records carry packages)."""
    for product in products if products is not None else knowledge_base().products.values():
        if any(package.vnr == vnr for package in product.packages):
            return product
    return None
