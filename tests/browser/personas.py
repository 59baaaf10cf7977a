"""The access tests' region (tests/access/personas.py) with a browser password for every persona."""

from __future__ import annotations

from kaari.access.models import Unit, User
from tests.access.personas import World, world_build

PASSWORD = "kaari-selain-2026"
UNIT_NAMES = {"hc-north": "Pohjoisen terveysasema", "ward-7": "Osasto 7", "sw-east": "Itäinen sosiaalityö"}
PEOPLE = {
    "dr_ahonen": ("Aila", "Ahonen"),
    "dr_berg": ("Bror", "Berg"),
    "nurse_ceder": ("Cecilia", "Ceder"),
    "sw_dahl": ("Doris", "Dahl"),
}


def browser_world_build() -> World:
    world = world_build()
    for unit, name in UNIT_NAMES.items():
        Unit.objects.update_or_create(organization_id=unit, defaults={"name": name})
    for user in User.objects.all():
        user.first_name, user.last_name = PEOPLE.get(user.username, ("", ""))
        user.set_password(PASSWORD)
        user.save()
    return world
