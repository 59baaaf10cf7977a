"""`kaari labs check`: validate the laboratory knowledge files (and the regional file, if configured)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kaari.labs.knowledge import KnowledgeError, lab_knowledge_load, regional_path_configured
from kaari.labs.regional import RegionalError


class Command(BaseCommand):
    help = "Laboratory knowledge: `check` validates the catalogue, the retesting intervals and the regional file."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        check = commands.add_parser("check", help="validate the knowledge files")
        check.add_argument("--regional", type=Path, help="a regional file (default: KAARI_LAB_REGIONAL_FILE)")
        check.add_argument("--quiet-warnings", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        regional = options["regional"] or regional_path_configured()
        try:
            knowledge = lab_knowledge_load(regional_path=regional)
        except KnowledgeError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(exc.problems)} errors in the laboratory knowledge") from exc
        except (RegionalError, ValueError, OSError) as exc:
            raise CommandError(f"regional file {regional}: {exc}") from exc
        warnings = [p for p in knowledge.problems if p.level == "warning"]
        if not options["quiet_warnings"]:
            for problem in warnings:
                self.stdout.write(str(problem))
        catalogue, intervals = knowledge.catalogue, knowledge.intervals
        covered = {a for rule in intervals.rules.values() for a in rule.analytes}
        priced = sum(1 for t in catalogue.tests.values() if t.price) + sum(
            1 for p in catalogue.panels.values() if p.price
        )
        self.stdout.write(
            f"catalogue {catalogue.version}: {len(catalogue.tests)} tests, {len(catalogue.analytes)} analytes, "
            f"{len(catalogue.panels)} panels, {priced} priced; retesting intervals {intervals.data.version}: "
            f"{len(intervals.rules)} cited rules covering {len(covered)} analytes"
            + (f"; region {knowledge.region}" if knowledge.region else "")
            + f"; {len(warnings)} warnings, 0 errors"
        )
