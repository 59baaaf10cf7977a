"""The access rules as SQL over the store's current row `r`, so that reads, searches, includes, counts and
history all apply the very same rule inside the database.

`basis_expression(principal)` is NULL for a row the actor may not see and otherwise names the basis of the
access: care-relationship, emergency, consent, statutory, own-data, guardian, or non-client (data about no
client, e.g. an Organization). Rules for professionals (Act 703/2023):

1. the row's register is among the registers of their tasks (client-level types such as Patient excepted);
2. the client has not denied disclosure to their unit (for data their unit does not keep itself);
3. reading the other register needs the unit's statutory basis or the client's consent, and no denial;
4. a care relationship of their unit or of them exists, open or recent; or a break-the-glass access.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connection

from kaari.access import conf
from kaari.access.principal import Principal
from kaari.fhir.conventions import REGISTER_HEALTH


@dataclass
class Sql:
    """SQL text and its parameters, built in order."""

    text: str = ""
    params: list[Any] = field(default_factory=list)

    def add(self, text: str, *params: Any) -> Sql:
        self.text += text
        self.params.extend(params)
        return self


def _ts(moment: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(moment)


def _day(day: date) -> Any:
    return connection.ops.adapt_datefield_value(day)


def _marks(values: list[str] | tuple[str, ...] | frozenset[str]) -> str:
    return ", ".join(["%s"] * len(values))


REGISTER = f"COALESCE(NULLIF(r.register, ''), '{REGISTER_HEALTH}')"


def _consent_exists(kind: str, extra: str, now: Any) -> tuple[str, list[Any]]:
    sql = (
        "EXISTS (SELECT 1 FROM access_consent_rule k WHERE k.patient_id = r.compartment AND k.kind = %s"
        f"{extra} AND (k.starts IS NULL OR k.starts <= %s) AND (k.ends IS NULL OR k.ends >= %s))"
    )
    return sql, [kind, now, now]


def professional_basis(principal: Principal, now: datetime | None = None) -> Sql:
    now = now or datetime.now(UTC)
    at = _ts(now)
    cutoff = _ts(now - timedelta(days=conf.recent_relationship_days()))
    client_level = sorted(conf.client_level_types())
    tasks = list(principal.task_registers) or ["-"]
    unit = principal.organization_id
    is_client_level = f"r.resource_type IN ({_marks(client_level)})"
    cross = f"(NOT {is_client_level} AND {REGISTER} <> %s)"
    cross_params = [*client_level, principal.register or "-"]

    sql = Sql("CASE WHEN r.compartment IS NULL THEN 'non-client' WHEN (")
    # 1. registers of their tasks
    sql.add(f"NOT ({is_client_level} OR {REGISTER} IN ({_marks(tasks)}))", *client_level, *tasks)
    # 2. a denial towards their unit, for data another keeper holds
    if unit:
        denial, params = _consent_exists("deny-organization", " AND k.organization_id = %s", at)
        sql.add(f" OR ({denial} AND r.keeper <> %s)", params[0], unit, *params[1:], unit)
    # 3. the other register: denial always wins; otherwise statutory basis or the client's consent
    deny_between, deny_params = _consent_exists("deny-registers", f" AND k.register = {REGISTER}", at)
    sql.add(f" OR ({cross} AND ({deny_between}", *cross_params, *deny_params)
    if principal.unit.cross_register_basis != "statutory":
        permit, permit_params = _consent_exists("permit-registers", f" AND k.register = {REGISTER}", at)
        sql.add(f" OR NOT {permit}", *permit_params)
    sql.add("))) THEN NULL")
    # 4. relationship, then emergency
    holders: list[str] = []
    holder_params: list[Any] = []
    if unit:
        holders.append("c.organization_id = %s")
        holder_params.append(unit)
    if principal.practitioner_id:
        holders.append("c.practitioner_id = %s")
        holder_params.append(principal.practitioner_id)
    if holders:
        sql.add(
            " WHEN EXISTS (SELECT 1 FROM access_care_relationship c WHERE c.patient_id = r.compartment"
            f" AND ({' OR '.join(holders)}) AND (c.ends IS NULL OR c.ends >= %s))",
            *holder_params,
            cutoff,
        )
        cross_basis = "statutory" if principal.unit.cross_register_basis == "statutory" else "consent"
        sql.add(f" THEN CASE WHEN {cross} THEN '{cross_basis}' ELSE 'care-relationship' END", *cross_params)
    if principal.user_id is not None:
        sql.add(
            " WHEN EXISTS (SELECT 1 FROM access_emergency e WHERE e.user_id = %s AND e.patient_id = r.compartment"
            " AND e.starts <= %s AND e.expires > %s) THEN 'emergency'",
            principal.user_id,
            at,
            at,
        )
    return sql.add(" ELSE NULL END")


def resident_basis(principal: Principal, now: datetime | None = None) -> Sql:
    now = now or datetime.now(UTC)
    today = now.date()
    adult_born_before = (
        today.replace(year=today.year - 18)
        if not (today.month == 2 and today.day == 29)
        else today.replace(year=today.year - 18, day=28)
    )
    sql = Sql("CASE WHEN r.compartment IS NULL THEN 'non-client'")
    sql.add(
        " WHEN EXISTS (SELECT 1 FROM access_release_delay d WHERE d.resource_type = r.resource_type"
        " AND d.logical_id = r.logical_id AND d.release_on > %s) THEN NULL",
        _day(today),
    )
    own = principal.patient_id or "-"
    sql.add(" WHEN r.compartment = %s THEN 'own-data'", own)
    sql.add(
        " WHEN EXISTS (SELECT 1 FROM access_guardianship g"
        " JOIN access_person gp ON gp.hetu = g.guardian_hetu"
        " JOIN access_person mp ON mp.patient_id = g.minor_patient_id"
        " WHERE g.minor_patient_id = r.compartment AND gp.patient_id = %s AND gp.hetu <> ''"
        " AND mp.birth_date > %s AND (g.ends IS NULL OR g.ends >= %s))"
        " AND NOT EXISTS (SELECT 1 FROM access_guardian_restriction x WHERE x.patient_id = r.compartment"
        " AND (x.resource_type = '' OR (x.resource_type = r.resource_type AND x.logical_id = r.logical_id)))"
        " THEN 'guardian'",
        own,
        _day(adult_born_before),
        _day(today),
    )
    return sql.add(" ELSE NULL END")


def basis_expression(principal: Principal) -> Sql | None:
    """The per-row basis for this actor, or None when rows need no check (system access, limited by scopes)."""
    if principal.is_system:
        return None
    if principal.is_resident:
        return resident_basis(principal)
    return professional_basis(principal)


def type_filter(types: frozenset[str] | None) -> Sql | None:
    if types is None:
        return None
    if not types:
        return Sql("1 = 0")
    ordered = sorted(types)
    return Sql(f"r.resource_type IN ({_marks(ordered)})", ordered)


def patients_bases(principal: Principal, patients: list[str]) -> dict[str, str]:
    """The basis on which this actor reached each client, for log entries of searches and history."""
    if principal.is_system:
        return dict.fromkeys(patients, "system")
    if principal.is_resident:
        return {p: "own-data" if p == principal.patient_id else "guardian" for p in patients}
    now = datetime.now(UTC)
    found: dict[str, str] = {}
    holders = [("organization_id", principal.organization_id), ("practitioner_id", principal.practitioner_id)]
    holders = [(column, value) for column, value in holders if value]
    with connection.cursor() as cursor:
        for start in range(0, len(patients), 500):
            chunk = patients[start : start + 500]
            if principal.user_id is not None:
                cursor.execute(
                    f"SELECT patient_id FROM access_emergency WHERE user_id = %s AND patient_id IN ({_marks(chunk)})"
                    " AND starts <= %s AND expires > %s",
                    [principal.user_id, *chunk, _ts(now), _ts(now)],
                )
                found.update((row[0], "emergency") for row in cursor.fetchall())
            if holders:
                condition = " OR ".join(f"{column} = %s" for column, _ in holders)
                cursor.execute(
                    f"SELECT DISTINCT patient_id FROM access_care_relationship WHERE patient_id IN ({_marks(chunk)})"
                    f" AND ({condition}) AND (ends IS NULL OR ends >= %s)",
                    [
                        *chunk,
                        *(value for _, value in holders),
                        _ts(now - timedelta(days=conf.recent_relationship_days())),
                    ],
                )
                found.update((row[0], "care-relationship") for row in cursor.fetchall())
    return found
