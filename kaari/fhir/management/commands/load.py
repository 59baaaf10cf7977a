"""`kaari load PATH...`: load transaction Bundles and NDJSON files through the store API."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from kaari.fhir.loading import default_jobs, files_collect, files_load, loader_store


class Command(BaseCommand):
    help = "Load FHIR transaction Bundles (.json) and NDJSON (.ndjson) files, or every such file in a directory."
    # The project's system checks (URLs, templates, admin...) say nothing about loading data and took a third of
    # the command's start-up; `kaari serve`, `migrate` and `check` still run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--jobs", type=int, default=None, help="loading processes (default: cores on PostgreSQL)")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = options["jobs"] or default_jobs()
        if jobs < 1:
            raise CommandError("--jobs must be at least 1")
        files = files_collect(options["paths"])
        total = sum(path.stat().st_size for path in files if path.exists())
        bar = tqdm(total=total, unit="B", unit_scale=True, desc="loading", disable=options["quiet"], file=sys.stderr)
        loaded = 0

        def progress(consumed: int, count: int) -> None:
            nonlocal loaded
            loaded += count
            bar.update(consumed)
            bar.set_postfix(resources=loaded, refresh=False)

        report = files_load(loader_store, files, jobs=jobs, progress=progress)
        bar.close()
        for problem in report.problems:
            self.stderr.write(f"error: {problem}")
        self.stdout.write(
            f"Loaded {report.loaded} resources from {len(files)} files in {report.seconds:.1f} s"
            f" ({report.rate:.0f} resources/s); {len(report.problems)} problems"
        )
        if not report.ok:
            raise SystemExit(1)
