"""`kaari demo`: migrate, load the demo region once, create the demo users, print them, and serve."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from kaari.server import demo


class Command(BaseCommand):
    help = "Migrate, load a synthetic county of 2,000 residents (first run only), create demo users, and serve."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--residents", type=int, default=demo.DEMO_RESIDENTS)
        parser.add_argument("--no-serve", action="store_true", help="prepare everything, then stop")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        state = demo.state_load()
        if "picks" not in state:
            self.stdout.write(f"Generating and loading a synthetic county of {options['residents']} residents ...")
            with tqdm(total=options["residents"], unit="resident", desc="demo region", file=sys.stderr) as bar:
                try:
                    picks, loaded, seconds = demo.region_load(residents=options["residents"], progress=bar.update)
                except RuntimeError as exc:
                    raise CommandError(str(exc)) from exc
            self.stdout.write(f"Loaded {loaded} resources in {seconds:.0f} s ({loaded / seconds:,.0f}/s)")
            state["picks"] = {
                "health_client": picks.health_client,
                "social_client": picks.social_client,
                "minor": picks.minor,
                "guardian_of_minor": picks.guardian_of_minor,
            }
            demo.state_save(state)
        picks = demo.ResidentPicks(**state["picks"])
        try:
            rows = demo.users_ensure(picks, state)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        demo.state_save(state)
        self.stdout.write("\nDemo users (synthetic data only; passwords are kept in $KAARI_DATA_DIR/demo.json):")
        for username, role, where, password in rows:
            self.stdout.write(f"  {username:20} {password:14} {role:14} {where}")
        self.stdout.write("")
        if not options["no_serve"]:
            call_command("serve", host=options["host"], port=options["port"], no_migrate=True)
