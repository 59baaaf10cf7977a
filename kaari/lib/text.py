"""Text helpers that know nothing of FHIR: normalisation for case- and accent-insensitive matching."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


def text_normalise(value: str) -> str:
    """Fold case and strip accents, so `ahlstrom` and `Åhlström` compare equal.

    Case folding comes first because it can itself produce combining marks (`İ` → `i̇`), which the
    decomposition step then removes. Letters without a decomposition (`æ`, `ø`, `ß` → `ss`) keep their
    folded form. Whitespace runs collapse to one space and the ends are trimmed.
    """
    if value.isascii():
        # On ASCII text lower() maps exactly A-Z to a-z, and is many times faster than str.translate.
        return " ".join(value.lower().split())
    return _normalise_unicode(value)


@lru_cache(maxsize=65536)
def _normalise_unicode(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(unicodedata.normalize("NFC", stripped).split())
