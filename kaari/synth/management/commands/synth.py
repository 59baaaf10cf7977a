"""`kaari synth`: write a synthetic wellbeing services county as FHIR R4 NDJSON, or report on one."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from kaari.fhir.loading import default_jobs, loader_store, resources_load
from kaari.synth.analysis import ndjson_read, region_analyse
from kaari.synth.clock import DEFAULT_TODAY
from kaari.synth.region import region_generate
from kaari.synth.report import report_format
from kaari.synth.writer import ndjson_write


class Command(BaseCommand):
    help = (
        "Generate a synthetic wellbeing services county as FHIR R4 NDJSON (one file per resource type), "
        "or with --report DIR print its cost concentration, service mix and prevalences."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--residents", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--out", type=Path, help="directory for the NDJSON files")
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=DEFAULT_TODAY,
            help="reference day the five-year history ends on (default 2026-11-01, fixed so output never drifts)",
        )
        parser.add_argument("--overwrite", action="store_true", help="replace NDJSON files already in --out")
        parser.add_argument("--report", type=Path, metavar="DIR", help="analyse an NDJSON directory instead")
        parser.add_argument(
            "--load", action="store_true", help="load the region into the store (with or without --out)"
        )
        parser.add_argument("--jobs", type=int, default=None, help="loading processes (default: cores on PostgreSQL)")

    def handle(self, *args: Any, **options: Any) -> None:
        today: dt.date = options["today"]
        if options["report"] is not None:
            directory: Path = options["report"]
            if not any(directory.glob("*.ndjson")):
                raise CommandError(f"no *.ndjson files in {directory}")
            self.stdout.write(report_format(region_analyse(ndjson_read(directory), today=today)))
            return
        out: Path | None = options["out"]
        if out is None and not options["load"]:
            raise CommandError("give --out DIR and/or --load (or --report DIR)")
        if options["residents"] < 1:
            raise CommandError("--residents must be at least 1")
        if out is None:
            self._generate_and_load(options, today)
            return
        existing = sorted(out.glob("*.ndjson")) if out.exists() else []
        if existing and not options["overwrite"]:
            raise CommandError(f"{out} already has NDJSON files; use --overwrite to replace them")
        for path in existing:
            path.unlink()
        started = time.perf_counter()
        with tqdm(total=options["residents"], unit="resident", desc="kaari synth", file=self.stderr) as bar:
            resources = region_generate(
                residents=options["residents"], seed=options["seed"], today=today, progress=bar.update
            )
            counts = ndjson_write(resources=resources, directory=out)
        elapsed = time.perf_counter() - started
        total = sum(counts.values())
        self.stdout.write(
            f"Wrote {total} resources ({total / options['residents']:.1f} per resident) in {elapsed:.1f} s "
            f"({total / elapsed:,.0f} resources/s) to {out}"
        )
        for kind, count in sorted(counts.items()):
            self.stdout.write(f"  {kind}.ndjson {count}")
        if options["load"]:
            call_command("load", str(out), jobs=options["jobs"], stdout=self.stdout, stderr=self.stderr)

    def _generate_and_load(self, options: dict[str, Any], today: dt.date) -> None:
        """Generate straight into the store, without files in between."""
        jobs = options["jobs"] or default_jobs()
        with tqdm(total=options["residents"], unit="resident", desc="kaari synth --load", file=self.stderr) as bar:
            resources = region_generate(
                residents=options["residents"], seed=options["seed"], today=today, progress=bar.update
            )
            report = resources_load(loader_store, resources, jobs=jobs, source="kaari synth")
        for problem in report.problems:
            self.stderr.write(f"error: {problem}")
        self.stdout.write(
            f"Generated and loaded {report.loaded} resources in {report.seconds:.1f} s"
            f" ({report.rate:,.0f} resources/s); {len(report.problems)} problems"
        )
        if not report.ok:
            raise SystemExit(1)
