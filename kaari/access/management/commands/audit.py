"""`kaari audit seal | verify | emergencies`: the access log's hash chain and the keepers' emergency review."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kaari.access.audit.chain import entries_seal, log_verify
from kaari.access.audit.review import emergency_review_list


class Command(BaseCommand):
    help = "seal: seal waiting entries into the hash chain; verify: check the chain; emergencies: review list."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("seal", help="seal the entries written since the last run (run it every minute)")
        verify = sub.add_parser("verify", help="recompute the chain; exit 1 on a changed, missing or inserted entry")
        verify.add_argument("--seal-first", action="store_true")
        emergencies = sub.add_parser("emergencies", help="break-the-glass accesses for a keeper to review")
        emergencies.add_argument("--keeper", default="", metavar="ORG-ID")
        emergencies.add_argument("--all", action="store_true", help="include reviewed ones")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "seal":
            self.stdout.write(f"Sealed {entries_seal()} entries")
        elif action == "verify":
            if options["seal_first"]:
                entries_seal()
            result = log_verify()
            for problem in result.problems:
                self.stderr.write(f"FAIL: {problem}")
            self.stdout.write(
                f"{result.sealed} sealed entries checked, {result.waiting} waiting to be sealed;"
                f" head {result.head_hash}"
            )
            if not result.ok:
                raise SystemExit(1)
            self.stdout.write("OK: the access log is intact")
        else:
            for item in emergency_review_list(keeper=options["keeper"], include_reviewed=options["all"]):
                self.stdout.write(
                    f"{item.access.id}\t{item.access.starts:%Y-%m-%d %H:%M}\t{item.access.user.username}"
                    f"\tPatient/{item.access.patient_id}\t{item.reads} reads\t{item.access.reason}"
                )
