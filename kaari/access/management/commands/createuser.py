"""`kaari createuser USERNAME --role ROLE [--organization ORG-ID] [--password PW] [--patient PATIENT-ID]`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kaari.access.roles import Role
from kaari.access.services import AccessError, user_create


class Command(BaseCommand):
    help = (
        "Create a user. Professionals need --organization (a stored Organization's id) and get a Practitioner and"
        " a PractitionerRole there; residents need --patient; an integration client prints its client id and secret."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument("--organization", default="", metavar="ORG-ID")
        parser.add_argument("--password", default=None, metavar="PW")
        parser.add_argument("--patient", default="", metavar="PATIENT-ID", help="the resident's own Patient")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            created = user_create(
                username=options["username"],
                role=options["role"],
                organization=options["organization"],
                password=options["password"],
                patient=options["patient"],
            )
        except AccessError as exc:
            raise CommandError(str(exc)) from exc
        user = created.user
        self.stdout.write(f"Created {user.role} {user.username}")
        if user.practitioner_id:
            self.stdout.write(
                f"Practitioner/{user.practitioner_id}, PractitionerRole/{user.practitioner_role_id}"
                f" in Organization/{user.organization_id}"
            )
        if created.client_secret:
            self.stdout.write(f"client_id: {user.client_id}")
            self.stdout.write(f"client_secret: {created.client_secret}")
            self.stdout.write(f"scopes: {user.scopes}")
