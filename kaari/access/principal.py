"""The actor as the gate sees it: who, in which role and unit, with which scopes. Built from a token or a session."""

from __future__ import annotations

from dataclasses import dataclass, field

from kaari.access import conf
from kaari.access.roles import ROLE_REGISTER, ROLE_SCOPES, Kind, Role
from kaari.access.scopes import ScopeSet, scope_set, scopes_grant, scopes_parse


@dataclass(frozen=True)
class UnitSettings:
    """What a unit's configuration changes for its professionals (kaari.access.models.Unit)."""

    write_register: str = ""
    extra_registers: tuple[str, ...] = ()
    cross_register_basis: str = "consent"


@dataclass(frozen=True)
class Principal:
    user_id: int | None
    username: str
    kind: str
    role: str
    scopes: ScopeSet
    organization_id: str = ""
    practitioner_id: str = ""
    practitioner_role_id: str = ""
    patient_id: str = ""
    unit: UnitSettings = field(default_factory=UnitSettings)

    @property
    def is_professional(self) -> bool:
        return self.kind == Kind.PROFESSIONAL

    @property
    def is_resident(self) -> bool:
        return self.kind == Kind.RESIDENT

    @property
    def is_system(self) -> bool:
        return self.kind == Kind.SYSTEM

    @property
    def register(self) -> str:
        """The register this professional writes into and works in."""
        return self.unit.write_register or ROLE_REGISTER.get(self.role, "")

    @property
    def task_registers(self) -> tuple[str, ...]:
        """The registers whose data this professional's tasks cover."""
        registers = [self.register, *self.unit.extra_registers]
        return tuple(dict.fromkeys(r for r in registers if r))


def role_scope_set(role: str) -> ScopeSet:
    return scope_set(" ".join(ROLE_SCOPES.get(role, ())))


def scopes_for(role: str, requested: str | None) -> ScopeSet:
    """The scopes a token for this role carries: those requested that the role allows, or all it allows."""
    allowed = role_scope_set(role)
    if not requested:
        return allowed
    return ScopeSet(scopes_grant(requested=scopes_parse(requested), allowed=allowed.scopes))


def system_principal(job: str) -> Principal:
    """Kaari itself running a job (`kaari load`, `kaari access rebuild`); logged under the job's name."""
    return Principal(
        user_id=None,
        username=f"system:{job}",
        kind=Kind.SYSTEM,
        role=Role.INTEGRATION,
        scopes=role_scope_set(Role.INTEGRATION),
    )


def turvakielto_exempt(principal: Principal) -> bool:
    return principal.role in conf.turvakielto_disclose_roles()
