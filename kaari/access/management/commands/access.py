"""`kaari access rebuild`: recreate the tables derived from the store (relationships, consents, delays)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kaari.access.rebuild import derived_tables_rebuild


class Command(BaseCommand):
    help = "rebuild: recreate care relationships, consent rules, release delays and guardianships from the store."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rebuild")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = derived_tables_rebuild()
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
