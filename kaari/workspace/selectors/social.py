"""The social welfare block: open cases, service decisions and the client plan."""

from __future__ import annotations

from dataclasses import dataclass, field

from kaari.fhir.store import Store
from kaari.workspace.codes import SOCIAL_DOC_SYSTEM
from kaari.workspace.selectors.fhirtext import concept_text, human_name, search


@dataclass(frozen=True)
class Case:
    service_task: str
    since: str
    responsible: str


@dataclass(frozen=True)
class Decision:
    service: str
    decided: str
    status: str
    negative: bool
    text: str


@dataclass(frozen=True)
class ClientPlan:
    title: str
    description: str
    created: str


@dataclass
class SocialBlock:
    cases: list[Case] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    plans: list[ClientPlan] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.cases or self.decisions or self.plans)


def social_block(*, store: Store, patient_id: str) -> SocialBlock:
    block = SocialBlock()
    episodes, managers = search(
        store,
        "EpisodeOfCare",
        ("patient", patient_id),
        ("status", "active"),
        ("_include", "EpisodeOfCare:care-manager"),
        ("_count", "20"),
    )
    names = {f"Practitioner/{m.id}": human_name(m.resource.get("name")) for m in managers}
    for episode in episodes:
        resource = episode.resource
        manager = str((resource.get("careManager") or {}).get("reference", ""))
        block.cases.append(
            Case(
                service_task=concept_text((resource.get("type") or [{}])[0]),
                since=str((resource.get("period") or {}).get("start", ""))[:10],
                responsible=names.get(manager, ""),
            )
        )
    decisions, _ = search(
        store,
        "ServiceRequest",
        ("patient", patient_id),
        ("category", f"{SOCIAL_DOC_SYSTEM}|service-decision"),
        ("_sort", "-authored"),
        ("_count", "10"),
    )
    for request in decisions:
        resource = request.resource
        block.decisions.append(
            Decision(
                service=concept_text(resource.get("code")),
                decided=str(resource.get("authoredOn", ""))[:10],
                status=str(resource.get("status", "")),
                negative=bool(resource.get("doNotPerform")),
                text=" ".join(str(n.get("text", "")) for n in resource.get("note", ())),
            )
        )
    plans, _ = search(
        store,
        "CarePlan",
        ("patient", patient_id),
        ("category", f"{SOCIAL_DOC_SYSTEM}|client-plan"),
        ("status", "active"),
        ("_count", "5"),
    )
    block.plans = [
        ClientPlan(
            title=str(p.resource.get("title", "")),
            description=str(p.resource.get("description", "")),
            created=str(p.resource.get("created", ""))[:10],
        )
        for p in plans
    ]
    return block
