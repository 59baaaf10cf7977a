"""`kaari serve`: apply migrations, then serve with a production WSGI server.

Granian was chosen by measurement (docs/benchmarks.md, `make bench-servers`): on this 2-core machine it serves
Kaari's read path faster than gunicorn and uvicorn.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


class Command(BaseCommand):
    help = "Apply migrations, then serve Kaari with the production server (granian, WSGI)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=default_workers())
        parser.add_argument("--threads", type=int, default=4, help="blocking threads per worker")
        parser.add_argument("--no-migrate", action="store_true", help="skip applying migrations")

    def handle(self, *args: Any, **options: Any) -> None:
        if not (0 < options["port"] < 65536):
            raise CommandError(f"--port {options['port']} is not a TCP port")
        if settings.DEBUG:
            raise CommandError("refusing to serve with DEBUG on")
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        host = options["host"]
        hosts = [h for h in os.environ.get("KAARI_ALLOWED_HOSTS", "").split(",") if h.strip()]
        hosts = hosts or list(settings.ALLOWED_HOSTS)
        if host not in hosts and host not in ("0.0.0.0", "::"):
            hosts.append(host)
        os.environ["KAARI_ALLOWED_HOSTS"] = ",".join(hosts)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaari.settings")
        argv = [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            host,
            "--port",
            str(options["port"]),
            "--workers",
            str(options["workers"]),
            "--blocking-threads",
            str(options["threads"]),
            "--no-ws",
            "kaari.wsgi:application",
        ]
        self.stdout.write(f"Kaari serving on http://{host}:{options['port']} ({options['workers']} workers)")
        self.stdout.flush()
        os.execv(sys.executable, argv)
