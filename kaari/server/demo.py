"""The demo region: a synthetic county loaded once, and one demo user per role with clients to see.

The residents shown to each demo user are picked while the region is generated (a resident with visits at the
demo health centre, one with a social welfare case at the demo social work unit, a minor with a guardian), and
remembered with the generated passwords in `$KAARI_DATA_DIR/demo.json`, so later starts reuse them.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from kaari.access.models import User
from kaari.access.services import AccessError, user_create
from kaari.fhir.conventions import HETU_SYSTEM
from kaari.fhir.loading import default_jobs, loader_store, resources_load
from kaari.synth.clock import DEFAULT_TODAY
from kaari.synth.region import region_generate

DEMO_RESIDENTS = 2000
DEMO_SEED = 1
HEALTH_CENTRE = "org-hc-helsinki-kallio"
SOCIAL_WORK_UNIT = "org-sw-adult-social-work-helsinki"
OTHER_HEALTH_CENTRE = "org-hc-hanko"

# username, role, organisation
PROFESSIONALS = (
    ("laakari", "physician", HEALTH_CENTRE),
    ("hoitaja", "nurse", HEALTH_CENTRE),
    ("sosiaalityontekija", "social_worker", SOCIAL_WORK_UNIT),
    ("farmaseutti", "pharmacist", HEALTH_CENTRE),
    ("sihteeri", "secretary", HEALTH_CENTRE),
    ("paivystaja", "physician", OTHER_HEALTH_CENTRE),
    ("yllapitaja", "admin", "org-county"),
)


@dataclass
class ResidentPicks:
    """Residents the demo users will find: by role in the demo."""

    health_client: str = ""
    social_client: str = ""
    minor: str = ""
    guardian_of_minor: str = ""
    _adult_by_code: dict[str, str] = field(default_factory=dict)
    _adults: set[str] = field(default_factory=set)

    def observe(self, resource: dict[str, Any]) -> None:
        kind = resource.get("resourceType")
        if kind == "Patient" and self._is_adult(resource):
            self._adults.add(resource["id"])
            for identifier in resource.get("identifier", ()):
                if identifier.get("system") == HETU_SYSTEM:
                    self._adult_by_code[identifier["value"]] = resource["id"]
        elif kind == "Encounter" and not self.health_client:
            if _reference(resource.get("serviceProvider")) == f"Organization/{HEALTH_CENTRE}":
                patient = _reference(resource.get("subject")).removeprefix("Patient/")
                if patient in self._adults:
                    self.health_client = patient
        elif kind == "EpisodeOfCare" and not self.social_client:
            if _reference(resource.get("managingOrganization")) == f"Organization/{SOCIAL_WORK_UNIT}":
                self.social_client = _reference(resource.get("patient")).removeprefix("Patient/")
        elif kind == "RelatedPerson" and not self.minor:
            self._guardian_observe(resource)

    def _guardian_observe(self, related: dict[str, Any]) -> None:
        codes = {c.get("code") for r in related.get("relationship", ()) for c in r.get("coding", ())}
        if not codes & {"GUARD", "MTH", "FTH", "PRN", "NMTH", "NFTH"}:
            return
        child = _reference(related.get("patient")).removeprefix("Patient/")
        if not child or child in self._adults:
            return
        # Guardianship follows the guardian's identity code, so the guardian user is the Patient holding it.
        for identifier in related.get("identifier", ()):
            guardian = self._adult_by_code.get(identifier.get("value", ""))
            if identifier.get("system") == HETU_SYSTEM and guardian:
                self.minor, self.guardian_of_minor = child, guardian
                return

    @staticmethod
    def _is_adult(patient: dict[str, Any]) -> bool:
        born = patient.get("birthDate", "")
        return bool(born) and dt.date.fromisoformat(born[:10]) <= DEFAULT_TODAY.replace(year=DEFAULT_TODAY.year - 18)


def _reference(value: Any) -> str:
    return str(value.get("reference", "")) if isinstance(value, dict) else ""


def state_path() -> Path:
    return Path(settings.DATA_DIR) / "demo.json"


def region_load(*, residents: int = DEMO_RESIDENTS, progress: Any = None) -> tuple[ResidentPicks, int, float]:
    """Generate and load the demo region; the picked residents, resources loaded and seconds taken."""
    picks = ResidentPicks()

    def observed() -> Iterator[dict[str, Any]]:
        for resource in region_generate(residents=residents, seed=DEMO_SEED, today=DEFAULT_TODAY, progress=progress):
            picks.observe(resource)
            yield resource

    report = resources_load(loader_store, observed(), jobs=default_jobs(), source="demo region")
    if not report.ok:
        raise RuntimeError(f"the demo region did not load cleanly: {report.problems[:3]}")
    return picks, report.loaded, report.seconds


def users_ensure(picks: ResidentPicks, state: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """Create the demo users that do not exist yet; (username, role, where, password) for each."""
    passwords: dict[str, str] = state.setdefault("passwords", {})
    rows = []
    wanted = [(u, r, o, "") for u, r, o in PROFESSIONALS]
    wanted += [("asukas", "resident", "", picks.health_client), ("asiakas", "resident", "", picks.social_client)]
    if picks.guardian_of_minor:
        wanted.append(("huoltaja", "resident", "", picks.guardian_of_minor))
    for username, role, organization, patient in wanted:
        password = passwords.setdefault(username, secrets.token_urlsafe(9))
        if not User.objects.filter(username=username).exists():
            try:
                user_create(username=username, role=role, organization=organization, password=password, patient=patient)
            except AccessError as exc:
                raise RuntimeError(f"demo user {username}: {exc}") from exc
        rows.append((username, role, organization or (f"Patient/{patient}" if patient else ""), password))
    return rows


def state_load() -> dict[str, Any]:
    path = state_path()
    return dict(json.loads(path.read_text())) if path.exists() else {}


def state_save(state: dict[str, Any]) -> None:
    path = state_path()
    path.write_text(json.dumps(state, indent=2))
    path.chmod(0o600)
