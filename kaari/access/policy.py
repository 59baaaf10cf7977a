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

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver
from psycopg import sql as psycopg_sql

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


class Dialect:
    """How the rules name the row and the actor's facts: inline over `r` with parameters (any database), or
    as the body of a PostgreSQL function over its arguments (the same rules, their plans cached per session)."""

    def row(self, column: str) -> str:
        return f"r.{column}"

    def value(self, name: str, value: Any) -> str:
        raise NotImplementedError

    def member(self, expression: str, name: str, values: list[str]) -> str:
        """`expression` is one of the values."""
        raise NotImplementedError


class Inline(Dialect):
    def __init__(self) -> None:
        self.params: list[Any] = []

    def value(self, name: str, value: Any) -> str:
        self.params.append(value)
        return "%s"

    def member(self, expression: str, name: str, values: list[str]) -> str:
        self.params.extend(values or ["-"])
        return f"{expression} IN ({_marks(values or ['-'])})"


class FunctionBody(Dialect):
    # Inside the functions, time comes from the database, so that a call's arguments stay the same per actor.
    CLOCK = {
        "at": "statement_timestamp()",
        "cutoff": "(statement_timestamp() - p_recent_days * interval '1 day')",
        "today": "statement_timestamp()::date",
        "adult_born_before": "(statement_timestamp() - interval '18 years')::date",
    }

    def row(self, column: str) -> str:
        return f"p_{column}"

    def value(self, name: str, value: Any) -> str:
        return self.CLOCK.get(name, f"p_{name}")

    def member(self, expression: str, name: str, values: list[str]) -> str:
        return f"{expression} = ANY(p_{name})"


@dataclass(frozen=True)
class ProfessionalFacts:
    tasks: list[str]
    primary: str
    client_level: list[str]
    unit: str | None
    practitioner: str | None
    user: int | None
    at: Any
    cutoff: Any
    statutory: bool
    recent_days: int = 90


def professional_facts(principal: Principal, now: datetime | None = None) -> ProfessionalFacts:
    now = now or datetime.now(UTC)
    return ProfessionalFacts(
        tasks=list(principal.task_registers),
        primary=principal.register or "-",
        client_level=sorted(conf.client_level_types()),
        unit=principal.organization_id or None,
        practitioner=principal.practitioner_id or None,
        user=principal.user_id,
        at=_ts(now),
        cutoff=_ts(now - timedelta(days=conf.recent_relationship_days())),
        statutory=principal.unit.cross_register_basis == "statutory",
        recent_days=conf.recent_relationship_days(),
    )


def professional_rules(d: Dialect, f: ProfessionalFacts) -> str:
    """The professional's rules (see the module docstring) as one CASE expression.

    Every piece that names a fact is a function called where the text needs it, so that the Inline dialect
    takes its parameters in the order they appear.
    """
    compartment, resource_type, keeper = d.row("compartment"), d.row("resource_type"), d.row("keeper")
    register = f"COALESCE(NULLIF({d.row('register')}, ''), '{REGISTER_HEALTH}')"

    def client_level() -> str:
        return d.member(resource_type, "client_level", f.client_level)

    def cross() -> str:
        return f"(NOT {client_level()} AND {register} <> {d.value('primary', f.primary)})"

    def unit() -> str:
        return d.value("unit", f.unit)

    def at() -> str:
        return d.value("at", f.at)

    def consent(kind: str, condition: Callable[[], str]) -> str:
        return (
            f"EXISTS (SELECT 1 FROM access_consent_rule k WHERE k.patient_id = {compartment}"
            f" AND k.kind = '{kind}' AND {condition()}"
            f" AND (k.starts IS NULL OR k.starts <= {at()}) AND (k.ends IS NULL OR k.ends >= {at()}))"
        )

    def statutory() -> str:
        return d.value("statutory", f.statutory)

    def same_register() -> str:
        return f"k.register = {register}"

    sql = f"CASE WHEN {compartment} IS NULL THEN 'non-client'"
    sql += f" WHEN NOT ({client_level()} OR {d.member(register, 'tasks', f.tasks)}) THEN NULL"
    denied_unit = consent("deny-organization", lambda: f"k.organization_id = {unit()}")
    # The keeper test first: a unit reading what it keeps itself needs no probe of the denials.
    sql += f" WHEN {keeper} <> {unit()} AND {denied_unit} THEN NULL"
    sql += f" WHEN {cross()} AND {consent('deny-registers', same_register)} THEN NULL"
    sql += f" WHEN {cross()} AND NOT {statutory()}"
    sql += f" AND NOT {consent('permit-registers', same_register)} THEN NULL"
    holders = f"(c.organization_id = {unit()} OR c.practitioner_id = {d.value('practitioner', f.practitioner)})"
    cutoff = d.value("cutoff", f.cutoff)
    sql += (
        f" WHEN EXISTS (SELECT 1 FROM access_care_relationship c WHERE c.patient_id = {compartment}"
        f" AND {holders} AND (c.ends IS NULL OR c.ends >= {cutoff}))"
    )
    sql += f" THEN CASE WHEN {cross()} THEN CASE WHEN {statutory()} THEN 'statutory' ELSE 'consent' END"
    sql += " ELSE 'care-relationship' END"
    user = d.value("user", f.user)
    sql += (
        f" WHEN EXISTS (SELECT 1 FROM access_emergency e WHERE e.user_id = {user}"
        f" AND e.patient_id = {compartment} AND e.starts <= {at()} AND e.expires > {at()}) THEN 'emergency'"
    )
    return sql + " ELSE NULL END"


@dataclass(frozen=True)
class ResidentFacts:
    own: str
    adult_born_before: Any
    today: Any


def resident_facts(principal: Principal, now: datetime | None = None) -> ResidentFacts:
    today = (now or datetime.now(UTC)).date()
    try:
        adult = today.replace(year=today.year - 18)
    except ValueError:  # 29 February
        adult = today.replace(year=today.year - 18, day=28)
    return ResidentFacts(own=principal.patient_id or "-", adult_born_before=_day(adult), today=_day(today))


def resident_rules(d: Dialect, f: ResidentFacts) -> str:
    """Residents: their own data and their minors', except what is not yet released or withheld from guardians."""
    compartment, resource_type, logical_id = d.row("compartment"), d.row("resource_type"), d.row("logical_id")
    sql = f"CASE WHEN {compartment} IS NULL THEN 'non-client'"
    sql += (
        f" WHEN EXISTS (SELECT 1 FROM access_release_delay x WHERE x.resource_type = {resource_type}"
        f" AND x.logical_id = {logical_id} AND x.release_on > {d.value('today', f.today)}) THEN NULL"
    )
    sql += f" WHEN {compartment} = {d.value('own', f.own)} THEN 'own-data'"
    own = d.value("own", f.own)
    adult = d.value("adult_born_before", f.adult_born_before)
    today = d.value("today", f.today)
    this_resource = f"w.resource_type = {resource_type} AND w.logical_id = {logical_id}"
    sql += (
        " WHEN EXISTS (SELECT 1 FROM access_guardianship g"
        " JOIN access_person gp ON gp.hetu = g.guardian_hetu"
        " JOIN access_person mp ON mp.patient_id = g.minor_patient_id"
        f" WHERE g.minor_patient_id = {compartment} AND gp.patient_id = {own} AND gp.hetu <> ''"
        f" AND mp.birth_date > {adult} AND (g.ends IS NULL OR g.ends >= {today}))"
        " AND NOT EXISTS (SELECT 1 FROM access_guardian_restriction w"
        f" WHERE w.patient_id = {compartment} AND (w.resource_type = '' OR ({this_resource})))"
        " THEN 'guardian'"
    )
    return sql + " ELSE NULL END"


# PostgreSQL functions holding the same rules, so that a read's check is planned once per session.
PROFESSIONAL_FUNCTION = (
    "kaari_professional_basis",
    [("compartment", "text"), ("resource_type", "text"), ("register", "text"), ("keeper", "text")],
    [
        ("tasks", "text[]"), ("primary", "text"), ("client_level", "text[]"), ("unit", "text"),
        ("practitioner", "text"), ("user", "bigint"), ("recent_days", "integer"), ("statutory", "boolean"),
    ],
)  # fmt: skip
RESIDENT_FUNCTION = (
    "kaari_resident_basis",
    [("compartment", "text"), ("resource_type", "text"), ("logical_id", "text")],
    [("own", "text")],
)


def postgres_functions_sql() -> list[str]:
    """CREATE OR REPLACE statements for the rule functions (run after every migrate on PostgreSQL)."""
    placeholder = ProfessionalFacts([], "", [], None, None, None, None, None, False, 0)
    bodies = {
        PROFESSIONAL_FUNCTION[0]: professional_rules(FunctionBody(), placeholder),
        RESIDENT_FUNCTION[0]: resident_rules(FunctionBody(), ResidentFacts("", None, None)),
    }
    statements = []
    for name, row_args, fact_args in (PROFESSIONAL_FUNCTION, RESIDENT_FUNCTION):
        args = ", ".join(f"p_{arg} {kind}" for arg, kind in (*row_args, *fact_args))
        statements.append(
            f"CREATE OR REPLACE FUNCTION {name}({args}) RETURNS text LANGUAGE plpgsql STABLE AS $kaari$"
            f" BEGIN RETURN ({bodies[name]}); END $kaari$"
        )
    return statements + _generation_triggers_sql()


# The tables the professional's rules read about a client; a change to any of them gives the client a new
# generation (access_policy_generation), drawn from a sequence so that no number returns after a rollback.
GENERATION_TABLES = ("access_consent_rule", "access_care_relationship", "access_emergency")
# A client's generation, -1 for none: the guard of a search that uses cached decisions (kaari.access.decisions).
GENERATION_FUNCTION = "kaari_policy_generation"


def _generation_triggers_sql() -> list[str]:
    def bump(rows: str) -> str:
        return (
            "INSERT INTO access_policy_generation (patient_id, generation)"
            f" SELECT p, nextval('access_policy_generation_seq') FROM ({rows} ORDER BY 1) s"
            " ON CONFLICT (patient_id) DO UPDATE SET generation = EXCLUDED.generation;"
        )

    statements = [
        "CREATE SEQUENCE IF NOT EXISTS access_policy_generation_seq",
        f"CREATE OR REPLACE FUNCTION {GENERATION_FUNCTION}(p_patient text) RETURNS bigint LANGUAGE plpgsql STABLE"
        " AS $kaari$ BEGIN RETURN COALESCE((SELECT g.generation FROM access_policy_generation g"
        " WHERE g.patient_id = p_patient), -1); END $kaari$",
        "CREATE OR REPLACE FUNCTION kaari_policy_generation_bump() RETURNS trigger LANGUAGE plpgsql AS $kaari$"
        " BEGIN"
        " IF TG_OP = 'TRUNCATE' THEN"
        " UPDATE access_policy_generation SET generation = nextval('access_policy_generation_seq');"
        f" ELSIF TG_OP = 'INSERT' THEN {bump('SELECT DISTINCT patient_id AS p FROM kaari_new')}"
        " ELSIF TG_OP = 'UPDATE' THEN"
        f" {bump('SELECT patient_id AS p FROM kaari_new UNION SELECT patient_id FROM kaari_old')}"
        f" ELSE {bump('SELECT DISTINCT patient_id AS p FROM kaari_old')}"
        " END IF; RETURN NULL; END $kaari$",
    ]
    events = {
        "INSERT": "REFERENCING NEW TABLE AS kaari_new",
        "UPDATE": "REFERENCING OLD TABLE AS kaari_old NEW TABLE AS kaari_new",
        "DELETE": "REFERENCING OLD TABLE AS kaari_old",
        "TRUNCATE": "",
    }
    for table in GENERATION_TABLES:
        for event, transition in events.items():
            statements.append(
                f"CREATE OR REPLACE TRIGGER kaari_policy_{event.lower()} AFTER {event} ON {table} {transition}"
                " FOR EACH STATEMENT EXECUTE FUNCTION kaari_policy_generation_bump()"
            )
    return statements


def _function_call(function: tuple[str, list[tuple[str, str]], list[tuple[str, str]]], facts: Any) -> Sql:
    """The call with the actor's facts written into the text as quoted literals: the text is built once per
    actor, and each read then sends no parameters of its own beyond the row's key."""
    name, row_args, _ = function
    return Sql(f"{name}(" + ", ".join(f"r.{arg}" for arg, _ in row_args) + _facts_literals(function, facts) + ")")


def _facts_literals(function: tuple[str, list[tuple[str, str]], list[tuple[str, str]]], facts: Any) -> str:
    return "".join(f", {_literal(getattr(facts, arg))}::{kind}" for arg, kind in function[2])


def _literal(value: Any) -> str:
    # psycopg's own quoting; `%` is doubled because the text is later formatted with the query's parameters.
    return psycopg_sql.Literal(value).as_string(None).replace("%", "%%")


@dataclass(frozen=True)
class ActorCall:
    """A PostgreSQL actor's rule function call over the row `r`, built once per actor. For a professional it also
    keeps their facts and the facts as the call's literal arguments, for decisions about given rows
    (kaari.access.decisions)."""

    sql: Sql
    facts: ProfessionalFacts | None = None
    tail: str = ""
    client_level: frozenset[str] = frozenset()
    unit: str | None = None


_calls_by_identity: dict[int, tuple[Principal, ActorCall | None]] = {}


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    # The calls hold the access settings (tests change them); in production they are fixed for the process.
    if setting.startswith("KAARI_"):
        _calls_by_identity.clear()


@lru_cache(maxsize=4096)
def _function_call_cached(principal: Principal, recent_days: int, client_level: frozenset[str]) -> ActorCall:
    if principal.is_resident:
        return ActorCall(_function_call(RESIDENT_FUNCTION, resident_facts(principal)))
    facts = professional_facts(principal)
    return ActorCall(
        _function_call(PROFESSIONAL_FUNCTION, facts),
        facts,
        _facts_literals(PROFESSIONAL_FUNCTION, facts),
        frozenset(facts.client_level),
        facts.unit,
    )


def actor_call(principal: Principal) -> ActorCall | None:
    """The actor's call on PostgreSQL; None for system access (limited by scopes only) and on other databases."""
    # The same text for every request of this actor: built once per process. A token's principal is one object
    # for as long as the token and the user's state hold, so it is found by identity first, without hashing its
    # scopes on every request.
    known = _calls_by_identity.get(id(principal))
    if known is not None and known[0] is principal:
        return known[1]
    call = None
    if not principal.is_system and connection.vendor == "postgresql":
        call = _function_call_cached(principal, conf.recent_relationship_days(), conf.client_level_types())
    if len(_calls_by_identity) >= 4096:
        _calls_by_identity.clear()
    # The entry holds the principal itself, so its id cannot pass to another object while it is here.
    _calls_by_identity[id(principal)] = (principal, call)
    return call


def basis_expression(principal: Principal) -> Sql | None:
    """The per-row basis for this actor, or None when rows need no check (system access, limited by scopes)."""
    if principal.is_system:
        return None
    call = actor_call(principal)
    if call is not None:
        return call.sql
    inline = Inline()
    if principal.is_resident:
        return Sql(resident_rules(inline, resident_facts(principal)), inline.params)
    return Sql(professional_rules(inline, professional_facts(principal)), inline.params)


def professional_filter(principal: Principal, now: datetime | None = None, *, patient: str | None = None) -> Sql:
    """The professional's rules as a filter: the same decisions as `professional_rules` gives non-NULL for,
    written with uncorrelated subqueries so that a search or history scan probes a hash, not a query per row."""
    f = professional_facts(principal, now)
    register = "COALESCE(NULLIF(r.register, ''), '" + REGISTER_HEALTH + "')"
    active = "(k.starts IS NULL OR k.starts <= %s) AND (k.ends IS NULL OR k.ends >= %s)"
    client_level = f"r.resource_type IN ({_marks(f.client_level)})"
    sql = Sql("r.compartment IS NULL OR (")
    sql.add(f"({client_level} OR {register} IN ({_marks(f.tasks or ['-'])}))", *f.client_level, *(f.tasks or ["-"]))
    sql.add(
        " AND NOT (r.keeper <> %s AND r.compartment IN (SELECT k.patient_id FROM access_consent_rule k"
        f" WHERE k.kind = 'deny-organization' AND k.organization_id = %s AND {active}))",
        f.unit,
        f.unit,
        f.at,
        f.at,
    )
    cross = f"(NOT {client_level} AND {register} <> %s)"
    sql.add(
        f" AND NOT ({cross} AND (r.compartment, {register}) IN (SELECT k.patient_id, k.register"
        f" FROM access_consent_rule k WHERE k.kind = 'deny-registers' AND {active}))",
        *f.client_level,
        f.primary,
        f.at,
        f.at,
    )
    if not f.statutory:
        sql.add(
            f" AND NOT ({cross} AND (r.compartment, {register}) NOT IN (SELECT k.patient_id, k.register"
            f" FROM access_consent_rule k WHERE k.kind = 'permit-registers' AND {active}))",
            *f.client_level,
            f.primary,
            f.at,
            f.at,
        )
    relationship = "(c.organization_id = %s OR c.practitioner_id = %s) AND (c.ends IS NULL OR c.ends >= %s)"
    emergency = "e.user_id = %s AND e.starts <= %s AND e.expires > %s"
    sql.add(" AND (")
    if patient:
        # A search about one client: decide that client's bases once (uncorrelated, so evaluated once), and leave
        # the set of all the unit's clients below to rows of other clients, whose hash is then built only if such
        # a row turns up. The branch only ever admits rows the set admits too, so decisions are unchanged.
        sql.add(
            "(r.compartment = %s AND (EXISTS (SELECT 1 FROM access_care_relationship c WHERE c.patient_id = %s"
            f" AND {relationship}) OR EXISTS (SELECT 1 FROM access_emergency e WHERE e.patient_id = %s"
            f" AND {emergency}))) OR ",
            patient,
            patient,
            f.unit,
            f.practitioner,
            f.cutoff,
            patient,
            f.user,
            f.at,
            f.at,
        )
    sql.add(
        f"r.compartment IN (SELECT c.patient_id FROM access_care_relationship c WHERE {relationship})",
        f.unit,
        f.practitioner,
        f.cutoff,
    )
    sql.add(
        f" OR r.compartment IN (SELECT e.patient_id FROM access_emergency e WHERE {emergency})))",
        f.user,
        f.at,
        f.at,
    )
    return sql


def resident_filter(principal: Principal, now: datetime | None = None) -> Sql:
    """The resident's rules as a filter with uncorrelated subqueries (see `resident_rules`)."""
    f = resident_facts(principal, now)
    sql = Sql("r.compartment IS NULL OR (")
    sql.add(
        "(r.resource_type, r.logical_id) NOT IN (SELECT x.resource_type, x.logical_id FROM access_release_delay x"
        " WHERE x.release_on > %s)",
        f.today,
    )
    sql.add(" AND (r.compartment = %s", f.own)
    sql.add(
        " OR (r.compartment IN (SELECT g.minor_patient_id FROM access_guardianship g"
        " JOIN access_person gp ON gp.hetu = g.guardian_hetu"
        " JOIN access_person mp ON mp.patient_id = g.minor_patient_id"
        " WHERE gp.patient_id = %s AND gp.hetu <> '' AND mp.birth_date > %s AND (g.ends IS NULL OR g.ends >= %s))",
        f.own,
        f.adult_born_before,
        f.today,
    )
    sql.add(
        " AND r.compartment NOT IN (SELECT w.patient_id FROM access_guardian_restriction w WHERE w.resource_type = '')"
        " AND (r.resource_type, r.logical_id) NOT IN (SELECT w.resource_type, w.logical_id"
        " FROM access_guardian_restriction w WHERE w.resource_type <> ''))))"
    )
    return sql


def filter_expression(principal: Principal, *, patient: str | None = None) -> Sql | None:
    """The condition searches, includes, counts and history apply, or None for system access. `patient` names the
    client a search is about, when it is about one: a hint for speed that never changes a decision."""
    if principal.is_system:
        return None
    return resident_filter(principal) if principal.is_resident else professional_filter(principal, patient=patient)


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
    return professional_bases(
        patients, user=principal.user_id, unit=principal.organization_id, practitioner=principal.practitioner_id
    )


def professional_bases(
    patients: list[str], *, user: int | None, unit: str | None, practitioner: str | None
) -> dict[str, str]:
    """The basis on which a professional reached each client: a care relationship of their unit or of them, else
    their emergency access."""
    now = datetime.now(UTC)
    found: dict[str, str] = {}
    holders = [("organization_id", unit), ("practitioner_id", practitioner)]
    holders = [(column, value) for column, value in holders if value]
    if user is None and not holders:
        return found
    with connection.cursor() as cursor:
        for start in range(0, len(patients), 500):
            chunk = patients[start : start + 500]
            # One round trip for both kinds of basis; a care relationship names the basis when both exist.
            parts: list[str] = []
            params: list[Any] = []
            if user is not None:
                parts.append(
                    f"SELECT patient_id, 1 FROM access_emergency WHERE user_id = %s AND patient_id IN ({_marks(chunk)})"
                    " AND starts <= %s AND expires > %s"
                )
                params.extend([user, *chunk, _ts(now), _ts(now)])
            if holders:
                condition = " OR ".join(f"{column} = %s" for column, _ in holders)
                parts.append(
                    f"SELECT patient_id, 2 FROM access_care_relationship WHERE patient_id IN ({_marks(chunk)})"
                    f" AND ({condition}) AND (ends IS NULL OR ends >= %s)"
                )
                params.extend(
                    [
                        *chunk,
                        *(value for _, value in holders),
                        _ts(now - timedelta(days=conf.recent_relationship_days())),
                    ]
                )
            cursor.execute(" UNION ALL ".join(parts) + " ORDER BY 2", params)
            found.update((row[0], "emergency" if row[1] == 1 else "care-relationship") for row in cursor.fetchall())
    return found
