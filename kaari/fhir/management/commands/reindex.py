"""`kaari reindex [--type T]`: rebuild the search index from the stored resources, resumably."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from kaari.fhir import spec
from kaari.fhir.search.reindex import checkpoint_path, reindex, reindex_count


class Command(BaseCommand):
    help = "Rebuild the search index (of one resource type, or all). An interrupted run resumes where it stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--type", dest="resource_type", metavar="T", help="only resources of this type")
        parser.add_argument("--restart", action="store_true", help="ignore the checkpoint of an interrupted run")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        resource_type = options["resource_type"]
        if resource_type is not None and resource_type not in spec.resource_types():
            raise CommandError(f"{resource_type} is not a FHIR R4 resource type")
        checkpoint = checkpoint_path(Path(settings.DATA_DIR), resource_type)
        after = 0
        if checkpoint.exists() and not options["restart"]:
            after = int(json.loads(checkpoint.read_text())["after"])
            self.stdout.write(f"Resuming after resource key {after}")
        total = reindex_count(resource_type, after)
        bar = tqdm(total=total, unit="res", desc="reindexing", disable=options["quiet"], file=sys.stderr)

        def progress(count: int) -> None:
            bar.update(count)

        done = reindex(
            resource_type=resource_type, checkpoint=checkpoint, restart=options["restart"], progress=progress
        )
        bar.close()
        self.stdout.write(f"Re-indexed {done} resources")
