"""A professional's read decisions about one client, cached, on PostgreSQL.

Otherwise every row a professional reads calls `kaari_professional_basis` (kaari.access.policy), and a search
about one client plans the whole filter. Yet a decision depends only on the actor (whose facts the call's text
holds), the client, and three things about the row: whether its type is client-level, its register, and whether
its keeper is the actor's unit. `Decisions` holds every such decision for one actor and one client, fetched by
calling the same function in one query, with:

- the client's generation at that moment (`access_policy_generation`, kept by triggers on the tables the rules
  read). A read uses the cached decisions only when the generation its own query read is the same, and a search
  only inside a guard that compares the generation in its own query, so a withdrawn consent or a new denial takes
  effect at once, in every process;
- a deadline: the first moment at which a time bound in those tables changes a decision (a consent rule starts
  or ends, a relationship's recent period runs out, an emergency access starts or expires), at most
  `MAX_AGE` seconds ahead;
- the basis the access log names for the client's rows (`policy.professional_bases`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from kaari.access.policy import (
    GENERATION_FUNCTION,
    PROFESSIONAL_FUNCTION,
    ActorCall,
    Sql,
    _marks,
    professional_bases,
)
from kaari.fhir.conventions import REGISTER_HEALTH, REGISTERS
from kaari.fhir.store import StoredResource
from kaari.lib.prepared import prepared_cursor

MAX_AGE = 600.0
LIMIT = 20_000
# Search filters kept per cached client, one per type searched (each ~1 kB, as it holds the actor's rule call):
# at most 20,000 clients x 4 filters, about 80 MB in the worst case; other types' filters are built per search.
FILTERS_PER_CLIENT = 4

# The client's generation, NULL when nothing the rules read about them has ever changed.
GENERATION = "(SELECT g.generation FROM access_policy_generation g WHERE g.patient_id = {patient})"
# The row's generation as read_check gives it to authorize_read: text, '-' for none.
ROW_GENERATION = "COALESCE(" + GENERATION.format(patient="r.compartment") + "::text, '-')"
# A search's guard: the client's generation, -1 for none, from a function (kaari.access.policy) so that the
# planner has no sub-query of its own to plan on every search (0.03 ms here); run once per query.
GUARD = f"(SELECT {GENERATION_FUNCTION}(%s))"

Class = tuple[bool, str, bool]  # client-level type, register ('' for client-level types), keeper is the unit


@dataclass(frozen=True)
class Decisions:
    generation: str  # as ROW_GENERATION gives it
    deadline: float
    bases: dict[Class, str | None]
    log_basis: str | None
    # The search filter built from these decisions, per resource type a search reads (None: several).
    filters: dict[str | None, Sql] = field(default_factory=dict, compare=False, repr=False)

    def fresh(self) -> bool:
        return time.monotonic() < self.deadline


_cache: dict[tuple[str, str], Decisions] = {}


def classes(call: ActorCall) -> list[Class]:
    facts = call.facts
    assert facts is not None
    keeper_is_unit = [False, True] if facts.unit else [False]
    registers = sorted({*REGISTERS, *facts.tasks, facts.primary} - {"-", ""})
    found: list[Class] = []
    if facts.client_level:
        found += [(True, "", unit) for unit in keeper_is_unit]
    return found + [(False, register, unit) for register in registers for unit in keeper_is_unit]


def fetch(call: ActorCall, patient: str) -> Decisions:
    """Every decision of this actor about this client, from the rule function itself, in one query."""
    facts = call.facts
    assert facts is not None
    function = PROFESSIONAL_FUNCTION[0]
    client_level_type = facts.client_level[0] if facts.client_level else ""  # any one of them
    found = classes(call)
    now = "statement_timestamp()"
    recent = f"{now} - %s * interval '1 day'"
    sql = Sql("SELECT " + GENERATION.format(patient="%s"), [patient])
    sql.add(
        f", EXTRACT(EPOCH FROM LEAST({now} + %s * interval '1 second',"
        f" (SELECT min(k.starts) FROM access_consent_rule k WHERE k.patient_id = %s AND k.starts > {now}),"
        f" (SELECT min(k.ends) FROM access_consent_rule k WHERE k.patient_id = %s AND k.ends >= {now}),"
        " (SELECT min(c.ends) + %s * interval '1 day' FROM access_care_relationship c"
        f" WHERE c.patient_id = %s AND c.ends >= {recent}),"
        f" (SELECT min(e.starts) FROM access_emergency e WHERE e.patient_id = %s AND e.starts > {now}),"
        f" (SELECT min(e.expires) FROM access_emergency e WHERE e.patient_id = %s AND e.expires > {now})) - {now})",
        MAX_AGE,
        patient,
        patient,
        facts.recent_days,
        patient,
        facts.recent_days,
        patient,
        patient,
    )
    for client_level, register, keeper_is_unit in found:
        sql.add(
            f", {function}(%s, %s, %s, %s{call.tail})",
            patient,
            client_level_type if client_level else "",
            register or REGISTER_HEALTH,
            facts.unit if keeper_is_unit else "",
        )
    started = time.monotonic()
    with prepared_cursor() as cursor:  # the same text for every client of this actor: planned once
        cursor.execute(sql.text, sql.params)
        row = cursor.fetchone()
    bases = professional_bases([patient], user=facts.user, unit=facts.unit, practitioner=facts.practitioner)
    decisions = Decisions(
        generation="-" if row[0] is None else str(row[0]),
        deadline=started + float(row[1]),
        bases=dict(zip(found, row[2:], strict=True)),
        log_basis=bases.get(patient),
    )
    if len(_cache) >= LIMIT:
        _cache.clear()
    _cache[(call.sql.text, patient)] = decisions
    return decisions


def _known(call: ActorCall, patient: str, generation: str | None = None) -> Decisions:
    """The cached decisions about this client while fresh (and made at this generation, when one was read)."""
    known = _cache.get((call.sql.text, patient))
    if known is None or not known.fresh() or (generation is not None and known.generation != generation):
        known = fetch(call, patient)
    return known


def row_basis(call: ActorCall, stored: StoredResource, generation: str) -> str | None:
    """The basis for a row of a client whose query read this generation of them; None: not visible. A register
    no class names is outside every register of the actor's tasks, so such a row is not visible (unless its type
    is client-level)."""
    assert stored.compartment is not None
    known = _known(call, stored.compartment, generation)
    if stored.resource_type in call.client_level:
        return known.bases.get((True, "", stored.keeper == call.unit))
    return known.bases.get((False, stored.register or REGISTER_HEALTH, stored.keeper == call.unit))


def search_condition(call: ActorCall, patient: str, resource_type: str | None) -> tuple[Sql, str | None]:
    """The filter for a search about this client that reads this resource type (None: several), and the basis the
    access log names for the client's rows; its own query checks the generation (`search_filter`)."""
    known = _known(call, patient)
    condition = known.filters.get(resource_type)
    if condition is None:
        condition = search_filter(call, patient, known, resource_type)
        if len(known.filters) < FILTERS_PER_CLIENT:
            known.filters[resource_type] = condition
    return Sql(condition.text, list(condition.params)), known.log_basis  # a copy: Sql.add changes it in place


def search_filter(call: ActorCall, patient: str, decisions: Decisions, resource_type: str | None = None) -> Sql:
    """A search's filter that admits the client's rows by the cached decisions while the client's generation,
    read in the search's own query, is the one they were made at; any other row, or every row once the generation
    has moved, is decided by the rule function itself, row by row. With one resource type known, only the
    decisions about that type's level are written out."""
    facts = call.facts
    assert facts is not None
    client_level = f"r.resource_type IN ({_marks(facts.client_level)})" if facts.client_level else "FALSE"
    register = f"COALESCE(NULLIF(r.register, ''), '{REGISTER_HEALTH}')"
    level = None if resource_type is None else resource_type in facts.client_level
    # Each allowed (type level, register), and whose keeping it must be when only one of the two is allowed.
    keepers: dict[tuple[bool, str], set[bool]] = {}
    for (is_client_level, register_value, keeper_is_unit), basis in decisions.bases.items():
        if basis is not None and level in (None, is_client_level):
            keepers.setdefault((is_client_level, register_value), set()).add(keeper_is_unit)
    allowed = Sql()
    for (is_client_level, register_value), keeping in keepers.items():
        terms = Sql()
        if level is None:  # several types: the row's type tells its level
            if is_client_level:
                terms.add(client_level, *facts.client_level)
            else:
                terms.add(f"NOT {client_level}", *facts.client_level)
        if not is_client_level:
            terms.add(" AND " if terms.text else "").add(f"{register} = %s", register_value)
        if facts.unit and len(keeping) == 1:
            terms.add(" AND " if terms.text else "")
            terms.add("r.keeper = %s" if True in keeping else "r.keeper <> %s", facts.unit)
        allowed.add(" OR " if allowed.text else "").add(f"({terms.text or 'TRUE'})", *terms.params)
    sql = Sql(f"r.compartment IS NULL OR CASE WHEN r.compartment = %s AND {GUARD} = %s THEN (", [patient, patient])
    sql.params.append(-1 if decisions.generation == "-" else int(decisions.generation))
    sql.add(allowed.text or "FALSE", *allowed.params)
    return sql.add(f") ELSE {call.sql.text} IS NOT NULL END")
