"""`kaari synth`: write a synthetic wellbeing services county as FHIR R4 NDJSON, or report on one."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

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

    def handle(self, *args: Any, **options: Any) -> None:
        today: dt.date = options["today"]
        if options["report"] is not None:
            directory: Path = options["report"]
            if not any(directory.glob("*.ndjson")):
                raise CommandError(f"no *.ndjson files in {directory}")
            self.stdout.write(report_format(region_analyse(ndjson_read(directory), today=today)))
            return
        out: Path | None = options["out"]
        if out is None:
            raise CommandError("give --out DIR (or --report DIR)")
        if options["residents"] < 1:
            raise CommandError("--residents must be at least 1")
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
