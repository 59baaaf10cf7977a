"""Upcoming appointments after the reference day, so that a unit's professionals have clients coming."""

from __future__ import annotations

from kaari.synth import fhir
from kaari.synth.clock import iso_datetime
from kaari.synth.fhir import HEALTH, SOCIAL, Resource
from kaari.synth.health import Context
from kaari.synth.organizations import Unit
from kaari.synth.sampling import minute_of_office


def appointments_render(ctx: Context) -> None:
    if ctx.story.death is not None:
        return
    rec, rng = ctx.record, ctx.rng
    chronic = [spec for spec, _ in ctx.story.conditions if spec.key not in ("intellectual-disability",)]
    if chronic:
        spec = chronic[int(rng.random() * len(chronic))]
        physician = rng.random() < 0.4
        who = rec.gp if physician else rec.nurse
        _appointment(
            ctx,
            unit=rec.centre,
            practitioner=who,
            register=HEALTH,
            service="Seurantakäynti",
            description=f"{spec.display}: seurantakäynti",
            days=(7, 120),
            condition=ctx.cond_ids[spec.key],
        )
    for spec, _ in ctx.story.conditions:
        if spec.key in ("cancer", "heart-failure", "schizophrenia") and rng.random() < 0.7:
            unit = ctx.cond_units[spec.key]
            if unit is rec.centre:
                clinic = ctx.services["specialist_clinic_by_condition"][spec.key]
                unit = rec.county.clinics[clinic]
            _appointment(
                ctx,
                unit=unit,
                practitioner=unit.pick("physician", rng),
                register=HEALTH,
                service="Poliklinikkakäynti",
                description=f"{spec.display}: poliklinikkakontrolli",
                days=(14, 90),
                condition=ctx.cond_ids[spec.key],
            )
    for case in ctx.open_cases:
        _appointment(
            ctx,
            unit=case.unit,
            practitioner=case.worker,
            register=SOCIAL,
            service="Asiakastapaaminen",
            description=f"{case.task_display}: asiakastapaaminen",
            days=(3, 60),
            condition=None,
        )


def _appointment(
    ctx: Context,
    *,
    unit: Unit,
    practitioner: str,
    register: str,
    service: str,
    description: str,
    days: tuple[int, int],
    condition: str | None,
) -> None:
    rec, rng = ctx.record, ctx.rng
    day = rec.today + days[0] + int(rng.random() * (days[1] - days[0]))
    minute = minute_of_office(rng)
    appointment: Resource = {
        "resourceType": "Appointment",
        "id": rec.ident("apt"),
        "meta": fhir.meta_client(register=register, keeper=unit.ident),
        "status": "booked",
        "serviceType": [{"text": service}],
        "description": description,
        "start": iso_datetime(day, minute),
        "end": iso_datetime(day, minute + 30),
        "minutesDuration": 30,
        "created": iso_datetime(rec.today - 1 - int(rng.random() * 30), 600),
        "participant": [
            {"actor": rec.patient_ref(), "required": "required", "status": "accepted"},
            {"actor": {"reference": f"Practitioner/{practitioner}"}, "required": "required", "status": "accepted"},
            {
                "actor": {"reference": f"PractitionerRole/role-{practitioner[5:]}"},
                "required": "information-only",
                "status": "accepted",
            },
        ],
    }
    if condition:
        appointment["reasonReference"] = [{"reference": f"Condition/{condition}"}]
    rec.out.append(appointment)
