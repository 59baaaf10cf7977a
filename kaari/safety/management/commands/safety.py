"""`kaari safety report`: alert rate per 100 orders and override rate per rule, from recorded CDS data.
`kaari safety replay`: a synthetic county's prescribing through the rules (alert rates per 100 orders)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kaari.cds.period import PeriodError, day_start
from kaari.safety.report import safety_report_build, safety_report_text


class Command(BaseCommand):
    help = (
        "Medication safety: `report` prints alert rates and override rates from recorded calls and feedback; "
        "`replay` runs a synthetic county's prescribing through the rules."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        report = commands.add_parser("report", help="alert rate per 100 orders, override rate per rule")
        report.add_argument("--since", help="first day (YYYY-MM-DD), default: everything recorded")
        report.add_argument("--until", help="last day (YYYY-MM-DD), inclusive")
        replay = commands.add_parser("replay", help="replay a synthetic county's medication orders")
        replay.add_argument("--residents", type=int, default=2000)
        replay.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "replay":
            from kaari.safety.replay import prescribing_replay, replay_text
            from kaari.synth.region import region_generate

            resources = region_generate(residents=options["residents"], seed=options["seed"])
            self.stdout.write(replay_text(prescribing_replay(resources=resources)))
            return
        try:
            since = day_start(options["since"])
            until = day_start(options["until"], next_day=True)
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(safety_report_text(safety_report_build(since=since, until=until)))
