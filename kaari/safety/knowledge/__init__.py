"""The medication knowledge base: versioned TOML files in this folder, each rule with a cited source.

`knowledge_base()` loads, validates and indexes it once per process; `kaari kb check` reports every problem.
"""

from __future__ import annotations

import functools
from pathlib import Path

from kaari.safety.knowledge.index import KnowledgeBase
from kaari.safety.knowledge.loader import KNOWLEDGE_DIR, knowledge_files_read
from kaari.safety.knowledge.validation import knowledge_problems

__all__ = ["KNOWLEDGE_DIR", "KnowledgeBase", "KnowledgeError", "knowledge_base", "knowledge_base_load"]


class KnowledgeError(Exception):
    """The knowledge files are broken; the message lists what `kaari kb check` would report."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "; ".join(problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"{len(problems)} problem(s) in the medication knowledge base: {shown}{more}")


def knowledge_base_load(directory: Path = KNOWLEDGE_DIR) -> KnowledgeBase:
    """Read, validate and index the knowledge in `directory`. Refuses a base with problems: a rule set with a
    missing source or an unknown code must not silently decide what a prescriber sees."""
    files = knowledge_files_read(directory)
    problems = knowledge_problems(files)
    if problems:
        raise KnowledgeError(problems)
    return KnowledgeBase(files)


@functools.cache
def knowledge_base() -> KnowledgeBase:
    """The shipped knowledge base, loaded once per process."""
    return knowledge_base_load()
