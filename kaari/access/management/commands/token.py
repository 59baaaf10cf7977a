"""`kaari token USERNAME`: print a bearer token for a local user, alone on the last line (an admin convenience)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kaari.access.services import AccessError, tokens_revoke, user_token

MINIMUM_LIFETIME = 3600


class Command(BaseCommand):
    help = "Print a bearer token (valid at least an hour, every scope the user's role allows) as the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--scope", default=None, help="ask for fewer scopes, e.g. 'user/Patient.read'")
        parser.add_argument("--lifetime", type=int, default=MINIMUM_LIFETIME, help="seconds (at least 3600)")
        parser.add_argument("--revoke", action="store_true", help="invalidate every token the user holds instead")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["revoke"]:
                tokens_revoke(username=options["username"])
                self.stdout.write(f"Every token of {options['username']} is revoked.")
                return
            issued = user_token(
                username=options["username"],
                scopes=options["scope"],
                lifetime=max(MINIMUM_LIFETIME, options["lifetime"]),
            )
        except AccessError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(issued.token)
