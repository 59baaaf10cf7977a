"""Loading the laboratory knowledge: shipped files, the regional file over them, then the checker."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from kaari.labs.catalogue import CATALOGUE_PATH, Catalogue, catalogue_build, catalogue_file_read
from kaari.labs.check import Problem, knowledge_problems
from kaari.labs.intervals import INTERVALS_PATH, RetestingIntervals, intervals_build, intervals_file_read
from kaari.labs.regional import regional_file_read, regional_merge


class KnowledgeError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass(frozen=True)
class LabKnowledge:
    catalogue: Catalogue
    intervals: RetestingIntervals
    problems: tuple[Problem, ...]
    region: str | None = None


def lab_knowledge_load(
    *,
    regional_path: Path | None = None,
    catalogue_path: Path = CATALOGUE_PATH,
    intervals_path: Path = INTERVALS_PATH,
) -> LabKnowledge:
    """The checked knowledge. Raises KnowledgeError listing every error; warnings ride along."""
    catalogue_raw = catalogue_file_read(path=catalogue_path)
    intervals_raw = intervals_file_read(path=intervals_path)
    region = None
    if regional_path is not None:
        regional = regional_file_read(path=regional_path)
        catalogue_raw, intervals_raw = regional_merge(
            catalogue_raw=catalogue_raw, intervals_raw=intervals_raw, regional=regional
        )
        region = regional.region
    problems = knowledge_problems(catalogue_raw=catalogue_raw, intervals_raw=intervals_raw)
    errors = [p for p in problems if p.level == "error"]
    if errors:
        raise KnowledgeError(errors)
    return LabKnowledge(
        catalogue=catalogue_build(raw=catalogue_raw),
        intervals=intervals_build(raw=intervals_raw),
        problems=tuple(problems),
        region=region,
    )


def regional_path_configured() -> Path | None:
    configured = getattr(settings, "KAARI_LAB_REGIONAL_FILE", "")
    return Path(configured) if configured else None


@lru_cache(maxsize=1)
def lab_knowledge() -> LabKnowledge:
    """The process-wide knowledge, with the configured regional file merged in."""
    return lab_knowledge_load(regional_path=regional_path_configured())
