"""Remembering the results of pure functions of short text that repeats (codes, dates, references)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TypeVar

T = TypeVar("T")


def short_text_memo(*, maxsize: int, length: int) -> Callable[[Callable[[str], T]], Callable[[str], T]]:
    """Remember `function(text)` for the `maxsize` most recent texts of at most `length` characters.

    Longer texts are computed every time, so that a hostile or unusual value cannot fill the memory with one
    entry. The function must be pure: the same text always gives the same result.
    """

    def decorate(function: Callable[[str], T]) -> Callable[[str], T]:
        remembered = lru_cache(maxsize=maxsize)(function)

        @wraps(function)
        def call(text: str) -> T:
            return remembered(text) if len(text) <= length else function(text)

        return call

    return decorate
