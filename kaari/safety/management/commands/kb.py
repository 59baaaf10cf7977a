"""`kaari kb check`: validate the medication knowledge base and list every problem found."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kaari.safety.knowledge import KNOWLEDGE_DIR
from kaari.safety.knowledge.loader import knowledge_files_read
from kaari.safety.knowledge.model import KnowledgeFiles
from kaari.safety.knowledge.validation import knowledge_problems


def knowledge_summary(files: KnowledgeFiles) -> list[str]:
    """One line per figure a reviewer of the knowledge base wants to see."""
    by_severity: dict[str, int] = {}
    for rule in files.interactions:
        by_severity[rule.severity] = by_severity.get(rule.severity, 0) + 1
    levels = [sum(1 for code in files.atc.values() if code.level == level) for level in range(1, 6)]
    return [
        *(f"{meta.id}.toml version {meta.version} ({meta.date})" for meta in files.metas),
        f"ATC codes: {len(files.atc)} (levels 1-5: {', '.join(map(str, levels))})",
        f"catalogue: {len(files.medicines)} medicines, {sum(len(m.products) for m in files.medicines)} products",
        f"drug groups: {len(files.groups)}",
        "interaction rules: "
        + f"{len(files.interactions)} ("
        + ", ".join(f"{severity} {count}" for severity, count in sorted(by_severity.items()))
        + ")",
        f"ONC high-priority interactions covered: {len({n for r in files.interactions for n in r.onc})}/15",
        f"allergy classes: {len(files.allergy_classes)}, cross-reactivity groups: {len(files.cross_reactivity)}",
        f"duplicate-therapy classes: {len(files.duplicate_classes)}, exceptions: {len(files.duplicate_exceptions)}",
        f"renal rules: {len(files.renal)} for {len({code for r in files.renal for code in r.atc})} medicines/groups",
        f"potentially inappropriate medicine entries (age >= {files.pim_min_age}): {len(files.pims)}",
    ]


class Command(BaseCommand):
    help = "Validate the medication knowledge base: ATC codes, sources, severities, rule ids and the catalogue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["check"], help="check: validate and summarise")
        parser.add_argument("--dir", type=Path, default=KNOWLEDGE_DIR, help="knowledge directory to check")

    def handle(self, *args: Any, **options: Any) -> None:
        files = knowledge_files_read(options["dir"])
        problems = knowledge_problems(files)
        if problems:
            for problem in problems:
                self.stderr.write(f"  - {problem}")
            raise CommandError(f"{len(problems)} problem(s) in the knowledge base at {options['dir']}")
        for line in knowledge_summary(files):
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("knowledge base OK"))
