"""`kaari labs check`: validate the laboratory knowledge files (and the regional file, if configured).
`kaari labs report`: duplicate tests caught, overridden and avoided per test, with the cost saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kaari.cds.period import PeriodError, day_start
from kaari.labs.knowledge import KnowledgeError, lab_knowledge_load, regional_path_configured
from kaari.labs.regional import RegionalError
from kaari.labs.report import labs_report_build, labs_report_text


class Command(BaseCommand):
    help = (
        "Laboratory: `check` validates the catalogue, the retesting intervals and the regional file; "
        "`report` prints duplicate tests caught, overridden and avoided with the cost saved."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        check = commands.add_parser("check", help="validate the knowledge files")
        check.add_argument("--regional", type=Path, help="a regional file (default: KAARI_LAB_REGIONAL_FILE)")
        check.add_argument("--quiet-warnings", action="store_true")
        report = commands.add_parser("report", help="duplicate tests caught, overridden, avoided; cost saved")
        report.add_argument("--since", help="first day (YYYY-MM-DD), default: everything recorded")
        report.add_argument("--until", help="last day (YYYY-MM-DD), inclusive")
        replay = commands.add_parser("replay", help="replay a synthetic county's laboratory testing")
        replay.add_argument("--residents", type=int, default=2000)
        replay.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "replay":
            from kaari.labs.replay import lab_testing_replay, replay_text
            from kaari.synth.region import region_generate

            resources = region_generate(residents=options["residents"], seed=options["seed"])
            self.stdout.write(replay_text(*lab_testing_replay(resources=resources)))
            return
        if options["action"] == "report":
            try:
                since = day_start(options["since"])
                until = day_start(options["until"], next_day=True)
            except PeriodError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(labs_report_text(labs_report_build(since=since, until=until)))
            return
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
