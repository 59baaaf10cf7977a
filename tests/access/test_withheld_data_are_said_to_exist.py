"""The law requires the screen to say that data exist which the professional may not see; the store tells which
registers hold such data for a client, and nothing more."""

from __future__ import annotations

from kaari.access.gate import AccessGate
from kaari.access.models import AuditEntry, User
from kaari.access.principal import system_principal
from kaari.access.tokens import principal_of_user
from kaari.fhir.store import Store
from tests.access.personas import World


def store_of(username: str) -> Store:
    return Store(AccessGate(principal_of_user(User.objects.get(username=username))))


def test_a_physician_learns_that_social_welfare_data_exist(world: World):
    assert store_of("dr_ahonen").withheld_registers("aino") == ["social-welfare"]


def test_a_social_worker_learns_that_health_care_data_exist(world: World):
    assert store_of("sw_dahl").withheld_registers("aino") == ["health-care"]


def test_a_joint_team_nurse_with_consent_is_told_of_nothing_withheld(world: World):
    assert store_of("nurse_jokinen").withheld_registers("aino") == []


def test_a_joint_team_nurse_without_consent_is_told_social_welfare_data_exist(world: World):
    assert store_of("nurse_jokinen").withheld_registers("kaisa") == ["social-welfare"]


def test_the_system_sees_everything_and_is_told_of_nothing(world: World):
    assert Store(AccessGate(system_principal("test"))).withheld_registers("aino") == []


def test_telling_that_data_exist_is_logged(world: World):
    before = AuditEntry.objects.count()
    store_of("dr_ahonen").withheld_registers("aino")
    assert AuditEntry.objects.count() == before + 1
