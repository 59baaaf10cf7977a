"""The shape of a social welfare case (asiakkuus) in FHIR, shared by every service task.

- The case is an EpisodeOfCare typed with THL's service-task classification (urn:oid:1.2.246.537.6.1221), managed by
  the social work unit, with the named responsible social worker as `careManager` and a CareTeam (the worker, the
  unit's other professionals and, for a child, the guardians as RelatedPerson).
- A service needs assessment (palvelutarpeen arviointi) is a ClinicalImpression: an assessment made to decide what
  the client needs before planning, with the needs as findings.
- The client plan (asiakassuunnitelma) is a CarePlan whose activities point to the decisions.
- A service decision (palvelupäätös) is a ServiceRequest with intent `order`: it authorises a service for a period;
  `doNotPerform` marks a negative decision; `patientInstruction` carries the appeal instructions
  (oikaisuvaatimusohje) the law requires on every decision; `note` holds the decision text.
- Meetings and service periods are Encounters in the episode, each costed like health care visits.
"""

from __future__ import annotations

from kaari.synth import fhir, knowledge, notes
from kaari.synth.clock import fi_date, iso_date, iso_datetime
from kaari.synth.fhir import SOCIAL, Resource
from kaari.synth.health import Context
from kaari.synth.organizations import Unit
from kaari.synth.record import Visit
from kaari.synth.sampling import minute_of_office, months

SOCIAL_SERVICE_SYSTEM = "https://kaari.fi/fhir/CodeSystem/social-service"
MEETING_ITEM = {
    "child-welfare": "social-worker-meeting-child",
    "older-people": "social-worker-meeting-elderly",
    "disability": "social-worker-meeting-disability",
    "substance-mental": "social-worker-meeting-substance",
    "adult-social-work": "social-worker-meeting-adult",
}


class Case:
    def __init__(
        self,
        ctx: Context,
        *,
        unit_task: str,
        service_task: str,
        need_key: str,
        begin: int,
        end: int | None,
        extra_members: list[tuple[str, str, str]] | None = None,
    ) -> None:
        self.ctx = ctx
        rec = ctx.record
        self.unit: Unit = rec.county.social[(rec.area, unit_task)]
        self.unit_task = unit_task
        self.need_key = need_key
        self.worker = self.unit.pick("social-worker", ctx.rng)
        self.begin = begin
        self.end = ctx.end if end is None or end > ctx.end else end
        self.finished = self.end < ctx.record.today
        if not self.finished:
            ctx.open_cases.append(self)
        self.episode = rec.ident("eoc")
        self.team = rec.ident("ct")
        task = knowledge.social()["service_tasks"][service_task]
        self.task_display = task["display"]
        self.guardians = [g.related_id for g in ctx.person.guardians] if need_key == "child-welfare" else []
        period = {"start": iso_date(begin)}
        if self.finished:
            period["end"] = iso_date(self.end)
        rec.out.append(
            {
                "resourceType": "EpisodeOfCare",
                "id": self.episode,
                "meta": self._meta(),
                "status": "finished" if self.finished else "active",
                "type": [fhir.concept(knowledge.social()["service_task_system"], task["code"], task["display"])],
                "patient": rec.patient_ref(),
                "managingOrganization": {"reference": f"Organization/{self.unit.ident}"},
                "period": period,
                "careManager": {"reference": f"Practitioner/{self.worker}"},
                "team": [{"reference": f"CareTeam/{self.team}"}],
            }
        )
        participants = [
            {
                "role": [fhir.concept(fhir.ROLE_SYSTEM, "social-worker", "Vastuusosiaalityöntekijä")],
                "member": {"reference": f"Practitioner/{self.worker}"},
                "onBehalfOf": {"reference": f"Organization/{self.unit.ident}"},
            }
        ]
        for role, name, member in extra_members or []:
            participants.append({"role": [fhir.concept(fhir.ROLE_SYSTEM, role, name)], "member": {"reference": member}})
        for related in self.guardians:
            participants.append(
                {
                    "role": [fhir.concept(fhir.ROLE_CODE, "GUARD", "guardian")],
                    "member": {"reference": f"RelatedPerson/{related}"},
                }
            )
        rec.out.append(
            {
                "resourceType": "CareTeam",
                "id": self.team,
                "meta": self._meta(),
                "status": "inactive" if self.finished else "active",
                "name": f"{self.task_display}: asiakkaan työryhmä",
                "subject": rec.patient_ref(),
                "period": dict(period),
                "participant": participants,
                "managingOrganization": [{"reference": f"Organization/{self.unit.ident}"}],
            }
        )

    def _meta(self, unit: Unit | None = None) -> dict[str, object]:
        return fhir.meta_client(register=SOCIAL, keeper=(unit or self.unit).ident)

    def meeting(self, day: int, *, need: str | None = None) -> str | None:
        """A meeting with the responsible worker, with its note; none before the window (no history there)."""
        ctx, rec = self.ctx, self.ctx.record
        if not ctx.start <= day < ctx.end:
            return None
        minute = minute_of_office(ctx.rng)
        enc = rec.encounter_add(
            Visit(
                day,
                minute,
                self.unit,
                MEETING_ITEM[self.unit_task],
                self.worker,
                episode=self.episode,
                register=SOCIAL,
                cls="AMB" if ctx.rng.random() < 0.7 else "FLD",
            )
        )
        text = notes.note_social(
            rng=ctx.rng,
            task=self.task_display,
            need=need or notes.social_need(rng=ctx.rng, task=self.need_key),
            with_guardian=bool(self.guardians),
        )
        rec.note_add(
            day=day,
            minute=minute + 50,
            text=text,
            kind="social",
            encounter=enc,
            unit=self.unit,
            author=self.worker,
            register=SOCIAL,
        )
        return enc

    def assessment(self, day: int) -> str:
        ctx, rec = self.ctx, self.ctx.record
        need = notes.social_need(rng=ctx.rng, task=self.need_key)
        enc = self.meeting(day, need=need)
        ident = rec.ident("ci")
        impression: Resource = {
            "resourceType": "ClinicalImpression",
            "id": ident,
            "meta": self._meta(),
            "status": "completed",
            "code": fhir.concept(fhir.SOCIAL_DOC_SYSTEM, "service-needs-assessment", "Palvelutarpeen arviointi"),
            "description": f"Palvelutarpeen arviointi ({self.task_display})",
            "subject": rec.patient_ref(),
            "effectiveDateTime": iso_datetime(day, 600),
            "date": iso_datetime(day, 900),
            "assessor": {"reference": f"Practitioner/{self.worker}"},
            "summary": f"Asiakkaalla on tuen tarve: {need}. Tarve arvioitu yhdessä asiakkaan kanssa.",
            "finding": [{"itemCodeableConcept": {"text": need}}],
        }
        if enc:
            impression["encounter"] = {"reference": f"Encounter/{enc}"}
        rec.out.append(impression)
        return ident

    def decision(
        self,
        day: int,
        *,
        service: str,
        display: str,
        begin: int,
        end: int | None,
        performer: Unit,
        assessment: str | None,
        negative: bool = False,
    ) -> str:
        ctx, rec = self.ctx, self.ctx.record
        ident = rec.ident("sr")
        appeal = knowledge.social()["appeal_instructions"]["fi"]
        over = negative or (end is not None and end < rec.today) or ctx.story.death is not None
        decision: Resource = {
            "resourceType": "ServiceRequest",
            "id": ident,
            "meta": self._meta(),
            "status": "completed" if over else "active",
            "intent": "order",
            "category": [fhir.concept(fhir.SOCIAL_DOC_SYSTEM, "service-decision", "Palvelupäätös")],
            "code": fhir.concept(SOCIAL_SERVICE_SYSTEM, service, display),
            "subject": rec.patient_ref(),
            "authoredOn": iso_datetime(day, 780),
            "requester": {"reference": f"Practitioner/{self.worker}"},
            "performer": [{"reference": f"Organization/{performer.ident}"}],
            "reasonCode": [{"text": self.task_display}],
            "note": [
                {
                    "text": (
                        f"Päätös: Hakemus ({display}) hylätään, koska palvelun myöntämisen edellytykset eivät "
                        "täyty tässä vaiheessa."
                        if negative
                        else f"Päätös: Myönnetään {display.lower()} {fi_date(begin)} alkaen"
                        + (f" {fi_date(end)} asti." if end else " toistaiseksi.")
                    )
                }
            ],
            "patientInstruction": appeal,
        }
        if negative:
            decision["doNotPerform"] = True
        else:
            decision["occurrencePeriod"] = {"start": iso_date(begin)} | ({"end": iso_date(end)} if end else {})
        if assessment:
            decision["supportingInfo"] = [{"reference": f"ClinicalImpression/{assessment}"}]
        rec.out.append(decision)
        return ident

    def plan(self, day: int, *, decisions: list[str], description: str) -> None:
        rec = self.ctx.record
        period = {"start": iso_date(day)}
        if self.finished:
            period["end"] = iso_date(self.end)
        plan: Resource = {
            "resourceType": "CarePlan",
            "id": rec.ident("cp"),
            "meta": self._meta(),
            "status": "completed" if self.finished else "active",
            "intent": "plan",
            "category": [fhir.concept(fhir.SOCIAL_DOC_SYSTEM, "client-plan", "Asiakassuunnitelma")],
            "title": f"Asiakassuunnitelma: {self.task_display}",
            "description": description,
            "subject": rec.patient_ref(),
            "period": period,
            "created": iso_datetime(day, 840),
            "author": {"reference": f"Practitioner/{self.worker}"},
            "careTeam": [{"reference": f"CareTeam/{self.team}"}],
        }
        if decisions:
            plan["activity"] = [{"reference": {"reference": f"ServiceRequest/{d}"}} for d in decisions]
        rec.out.append(plan)

    def service_months(
        self, *, begin: int, end: int, unit: Unit, item: str, per_day: float, practitioner: str, cls: str
    ) -> None:
        """A continuous service as one costed Encounter per calendar month; quantity = days or visits."""
        ctx, rec = self.ctx, self.ctx.record
        begin, end = max(begin, ctx.start), min(end, ctx.end)
        for a, b in months(begin, end):
            quantity = round((b - a) * per_day) if per_day != 1 else b - a
            if quantity <= 0:
                continue
            ongoing = b >= rec.today and ctx.story.death is None
            rec.encounter_add(
                Visit(
                    a,
                    480,
                    unit,
                    item,
                    practitioner,
                    cls=cls,
                    end_day=max(a, b - 1),
                    end_minute=1200,
                    quantity=quantity,
                    episode=self.episode,
                    register=SOCIAL,
                    status="in-progress" if ongoing else "finished",
                )
            )
