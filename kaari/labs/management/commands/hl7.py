"""`kaari hl7 listen|load|reprocess`: HL7 v2 result intake over MLLP."""

from __future__ import annotations

import asyncio
import signal
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kaari.labs.hl7.intake import KeepingIntake
from kaari.labs.hl7.loadclient import load_run
from kaari.labs.hl7.mllp import mllp_server_start
from kaari.labs.knowledge import lab_knowledge
from kaari.labs.models import Hl7Message


class Command(BaseCommand):
    help = "HL7 v2 ORU^R01 intake: listen on MLLP, send a test load, reprocess kept messages."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        listen = commands.add_parser("listen", help="accept ORU^R01 over MLLP")
        listen.add_argument("--host", default="127.0.0.1")
        listen.add_argument("--port", type=int, default=2575)
        listen.add_argument("--workers", type=int, default=4, help="threads that commit messages")
        load = commands.add_parser("load", help="send N ORU^R01 messages and check one ACK each")
        load.add_argument("--host", default="127.0.0.1")
        load.add_argument("--port", type=int, default=2575)
        load.add_argument("--count", type=int, default=10000)
        load.add_argument("--malformed", type=float, default=0.05)
        load.add_argument("--connections", type=int, default=4)
        load.add_argument("--seed", type=int, default=1)
        load.add_argument("--verify-kept", action="store_true", help="count the kept messages in the database")
        reprocess = commands.add_parser("reprocess", help="process kept messages again")
        reprocess.add_argument("ids", nargs="*", type=int)
        reprocess.add_argument("--failed", action="store_true", help="every message waiting for review")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "listen":
            asyncio.run(self._listen(options["host"], options["port"], options["workers"]))
        elif action == "load":
            self._load(options)
        else:
            self._reprocess(options["ids"], failed=options["failed"])

    async def _listen(self, host: str, port: int, workers: int) -> None:
        intake = KeepingIntake(catalogue=lab_knowledge().catalogue)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hl7-intake") as executor:
            server = await mllp_server_start(host=host, port=port, intake=intake, executor=executor)
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, stop.set)
            self.stdout.write(f"kaari hl7: listening for MLLP on {host}:{port}")
            self.stdout.flush()
            async with server:
                await stop.wait()

    def _load(self, options: dict[str, Any]) -> None:
        started = timezone.now()
        report = asyncio.run(
            load_run(
                host=options["host"],
                port=options["port"],
                count=options["count"],
                malformed=options["malformed"],
                connections=options["connections"],
                seed=options["seed"],
            )
        )
        self.stdout.write(str(report))
        for line in report.wrong[:20]:
            self.stdout.write(f"  {line}")
        if options["verify_kept"]:
            kept = Hl7Message.objects.filter(received_at__gte=started).count()
            failed = Hl7Message.objects.filter(received_at__gte=started, status=Hl7Message.Status.FAILED).count()
            self.stdout.write(f"kept in the database: {kept} ({failed} failed, waiting for review)")
            if kept != report.sent:
                raise CommandError(f"{report.sent - kept} messages were not kept")
        if report.wrong or report.acks != report.sent:
            raise CommandError("some messages were not answered as expected")

    def _reprocess(self, ids: list[int], *, failed: bool) -> None:
        messages = Hl7Message.objects.for_review() if failed else Hl7Message.objects.filter(pk__in=ids)
        intake = KeepingIntake(catalogue=lab_knowledge().catalogue)
        for message in messages:
            message.attempts += 1
            message.save(update_fields=["attempts"])
            outcome = intake.process(message)
            self.stdout.write(f"{message.pk} {message.control_id}: {outcome.ack_code} {outcome.text}")
