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

from kaari.access.models import Unit, User
from kaari.access.services import AccessError, system_store, user_create
from kaari.fhir.conventions import HETU_SYSTEM, REGISTER_HEALTH, REGISTER_SOCIAL
from kaari.fhir.loading import default_jobs, loader_store, resources_load
from kaari.synth.clock import DEFAULT_TODAY
from kaari.synth.fhir import meta_client
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
# Made-up names for the demo users, so that the workspace shows a person, not a username.
NAMES = {
    "laakari": ("Liisa", "Laine"),
    "hoitaja": ("Hanna", "Heikkinen"),
    "sosiaalityontekija": ("Sanna", "Saarinen"),
    "farmaseutti": ("Pekka", "Peltonen"),
    "sihteeri": ("Seija", "Salo"),
    "paivystaja": ("Pauli", "Paananen"),
    "yllapitaja": ("Ylva", "Ylönen"),
}
ROLE_TEXT = {
    "physician": "Lääkäri",
    "nurse": "Sairaanhoitaja",
    "pharmacist": "Farmaseutti",
    "social_worker": "Sosiaalityöntekijä",
}
# The demo professionals who join the picked clients' care teams: (register, keeper, usernames).
CARE_TEAMS = (
    (REGISTER_HEALTH, HEALTH_CENTRE, ("laakari", "hoitaja", "farmaseutti")),
    (REGISTER_SOCIAL, SOCIAL_WORK_UNIT, ("sosiaalityontekija",)),
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
    _health_candidates: set[str] = field(default_factory=set)
    _social_candidates: dict[str, bool] = field(default_factory=dict)  # patient: has an active case
    _richness: dict[str, int] = field(default_factory=dict)

    def observe(self, resource: dict[str, Any]) -> None:
        kind = resource.get("resourceType")
        if kind == "Patient" and self._is_adult(resource):
            self._adults.add(resource["id"])
            for identifier in resource.get("identifier", ()):
                if identifier.get("system") == HETU_SYSTEM:
                    self._adult_by_code[identifier["value"]] = resource["id"]
        elif kind == "Encounter":
            if _reference(resource.get("serviceProvider")) == f"Organization/{HEALTH_CENTRE}":
                patient = _reference(resource.get("subject")).removeprefix("Patient/")
                if patient in self._adults:
                    self._health_candidates.add(patient)
        elif kind == "EpisodeOfCare":
            if _reference(resource.get("managingOrganization")) == f"Organization/{SOCIAL_WORK_UNIT}":
                patient = _reference(resource.get("patient")).removeprefix("Patient/")
                active = resource.get("status") == "active"
                self._social_candidates[patient] = self._social_candidates.get(patient, False) or active
        elif kind in ("Condition", "MedicationRequest", "Observation", "AllergyIntolerance"):
            patient = _reference(resource.get("subject") or resource.get("patient")).removeprefix("Patient/")
            self._richness[patient] = self._richness.get(patient, 0) + 1
        elif kind == "RelatedPerson" and not self.minor:
            self._guardian_observe(resource)

    def finish(self) -> None:
        """Pick the clients with the fullest records, so that the demo charts show every block with data."""
        richness = self._richness.get
        if self._health_candidates:
            self.health_client = max(sorted(self._health_candidates), key=lambda p: richness(p, 0))
        if self._social_candidates:
            self.social_client = max(
                sorted(self._social_candidates), key=lambda p: (self._social_candidates[p], richness(p, 0))
            )

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
    picks.finish()
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
    people_name()
    care_teams_ensure(picks)
    return rows


def people_name() -> None:
    """Give the demo professionals their names (user and Practitioner) and their units the Organization's name."""
    store = system_store("demo")
    for username, (given, family) in NAMES.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        if (user.first_name, user.last_name) != (given, family):
            user.first_name, user.last_name = given, family
            user.save(update_fields=["first_name", "last_name"])
        if user.practitioner_id:
            practitioner = dict(store.read("Practitioner", user.practitioner_id).resource)
            if practitioner.get("name") != [{"family": family, "given": [given]}]:
                practitioner["name"] = [{"family": family, "given": [given]}]
                store.update("Practitioner", user.practitioner_id, practitioner)
        if (
            user.organization_id
            and not Unit.objects.filter(organization_id=user.organization_id).exclude(name="").exists()
        ):
            name = str(store.read("Organization", user.organization_id).resource.get("name", ""))
            Unit.objects.update_or_create(organization_id=user.organization_id, defaults={"name": name})


def care_teams_ensure(picks: ResidentPicks) -> None:
    """Put the demo professionals on the picked clients' care teams (a care relationship the gate recognises),
    so that every demo chart has data from the day the demo starts, however old the generated visits are."""
    clients = [p for p in dict.fromkeys([picks.health_client, picks.social_client, picks.minor]) if p]
    teams = []
    for register, keeper, usernames in CARE_TEAMS:
        members = [
            (u.practitioner_id, ROLE_TEXT.get(u.role, u.role))
            for u in User.objects.filter(username__in=usernames)
            if u.practitioner_id
        ]
        for client in clients:
            teams.append(
                {
                    "resourceType": "CareTeam",
                    "id": f"demo-team-{register}-{client}",
                    "meta": meta_client(register=register, keeper=keeper),
                    "status": "active",
                    "name": "Demon hoitotiimi" if register == REGISTER_HEALTH else "Demon asiakastyöryhmä",
                    "subject": {"reference": f"Patient/{client}"},
                    "participant": [
                        {"role": [{"text": role}], "member": {"reference": f"Practitioner/{member}"}}
                        for member, role in members
                    ],
                    "managingOrganization": [{"reference": f"Organization/{keeper}"}],
                }
            )
    outcomes = system_store("demo").load(teams)
    problems = [str(o.error) for o in outcomes if o.error is not None]
    if problems:
        raise RuntimeError(f"demo care teams: {problems[:3]}")


def state_load() -> dict[str, Any]:
    path = state_path()
    return dict(json.loads(path.read_text())) if path.exists() else {}


def state_save(state: dict[str, Any]) -> None:
    path = state_path()
    path.write_text(json.dumps(state, indent=2))
    path.chmod(0o600)
