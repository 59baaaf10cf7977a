"""`kaari access rebuild`: recreate the tables derived from the store (relationships, consents, delays)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kaari.access.models import Unit
from kaari.access.rebuild import derived_tables_rebuild
from kaari.access.tokens import user_state_forget
from kaari.fhir.conventions import REGISTERS


class Command(BaseCommand):
    help = (
        "rebuild: recreate care relationships, consent rules, release delays and guardianships from the store;"
        " unit ORG-ID: configure a unit's registers (see docs/access.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rebuild")
        unit = sub.add_parser("unit", help="configure how a unit's professionals work with the registers")
        unit.add_argument("organization", metavar="ORG-ID")
        unit.add_argument("--write-register", choices=[*REGISTERS, ""], default=None)
        unit.add_argument("--extra-registers", default=None, help="comma-separated, e.g. social-welfare")
        unit.add_argument("--cross-register-basis", choices=["consent", "statutory"], default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "unit":
            self._unit(options)
            return
        counts = derived_tables_rebuild()
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))

    def _unit(self, options: dict[str, Any]) -> None:
        extra = options["extra_registers"]
        if extra is not None and any(r.strip() not in REGISTERS for r in extra.split(",") if r.strip()):
            raise CommandError(f"--extra-registers takes {', '.join(REGISTERS)}")
        unit, _ = Unit.objects.get_or_create(organization_id=options["organization"])
        if options["write_register"] is not None:
            unit.write_register = options["write_register"]
        if extra is not None:
            unit.extra_registers = extra
        if options["cross_register_basis"] is not None:
            unit.cross_register_basis = options["cross_register_basis"]
        unit.save()
        user_state_forget()
        self.stdout.write(
            f"Organization/{unit.organization_id}: writes {unit.write_register or 'by role'},"
            f" extra registers {unit.extra_registers or 'none'}, across registers by {unit.cross_register_basis}"
            " (other processes see it within KAARI_TOKEN_STATE_CACHE_SECONDS)"
        )
