"""The chart's header, rendered in the first response: who the client is and what must never be missed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from kaari.fhir.store import Store, StoredResource
from kaari.workspace.selectors.clients import ClientRow, client_row
from kaari.workspace.selectors.fhirtext import concept_codes, concept_text, disclosed, human_name, reference_id, search

GUARDIAN_CODES = frozenset({"GUARD"})


@dataclass(frozen=True)
class Allergy:
    substance: str
    criticality: str  # "high", "low", "unable-to-assess" or ""


@dataclass(frozen=True)
class TeamMember:
    name: str
    role: str
    responsible_social_worker: bool = False


@dataclass
class ChartHeader:
    client: ClientRow
    allergies: list[Allergy] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    team: list[TeamMember] = field(default_factory=list)
    guardians: list[str] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)  # registers with data this user may not see


def chart_header(*, store: Store, patient_id: str, today: dt.date | None = None) -> ChartHeader:
    """Raises AccessDenied (logged) when the user has no basis to see the client at all."""
    patient = store.read("Patient", patient_id)
    header = ChartHeader(client=client_row(disclosed(store, patient), today or dt.date.today()))
    allergies, _ = search(store, "AllergyIntolerance", ("patient", patient_id), ("_count", "50"))
    header.allergies = [
        Allergy(substance=concept_text(a.resource.get("code")), criticality=str(a.resource.get("criticality", "")))
        for a in allergies
        if concept_codes(a.resource.get("clinicalStatus")) & {"active"} or not a.resource.get("clinicalStatus")
    ]
    flags, _ = search(store, "Flag", ("patient", patient_id), ("_count", "50"))
    header.flags = [concept_text(f.resource.get("code")) for f in flags if f.resource.get("status") == "active"]
    header.team = _team(store, patient_id)
    related, _ = search(store, "RelatedPerson", ("patient", patient_id), ("_count", "20"))
    header.guardians = [_guardian(r.resource) for r in related if _is_guardian(r.resource)]
    header.withheld = store.withheld_registers(patient_id)
    return header


def _team(store: Store, patient_id: str) -> list[TeamMember]:
    """Active care teams' members and the responsible social workers of open cases, each named once."""
    episodes, practitioners = search(
        store,
        "EpisodeOfCare",
        ("patient", patient_id),
        ("status", "active"),
        ("_include", "EpisodeOfCare:care-manager"),
        ("_count", "20"),
    )
    teams, members = search(
        store,
        "CareTeam",
        ("patient", patient_id),
        ("status", "active"),
        ("_include", "CareTeam:participant"),
        ("_count", "20"),
    )
    names = {f"{p.resource_type}/{p.id}": _name_of(p) for p in [*practitioners, *members]}
    team: dict[str, TeamMember] = {}
    for episode in episodes:
        manager = episode.resource.get("careManager") or {}
        if reference_id(manager, "Practitioner"):
            reference = manager["reference"]
            team[reference] = TeamMember(
                name=names.get(reference, manager.get("display", "")) or reference,
                role=concept_text((episode.resource.get("type") or [{}])[0]),
                responsible_social_worker=True,
            )
    for care_team in teams:
        for participant in care_team.resource.get("participant", ()):
            reference = str((participant.get("member") or {}).get("reference", ""))
            if not reference.startswith("Practitioner/") or reference in team:
                continue
            team[reference] = TeamMember(
                name=names.get(reference, "") or reference, role=concept_text((participant.get("role") or [{}])[0])
            )
    return list(team.values())


def _name_of(stored: StoredResource) -> str:
    return human_name(stored.resource.get("name"))


def _is_guardian(related: dict[str, Any]) -> bool:
    codes = set().union(*(concept_codes(r) for r in related.get("relationship", ()))) if related else set()
    return bool(codes & GUARDIAN_CODES) and related.get("active", True) is not False


def _guardian(related: dict[str, Any]) -> str:
    return human_name(related.get("name")) or str(related.get("id"))
