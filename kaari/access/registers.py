"""Which register and keeper a write carries when the writer does not decide it (integrations, residents).

A professional's write goes into their own register and unit (see gate.py). An integration client may state
both in the resource's meta, as a population-register feed or a migrated social care system does; what it
leaves out the resource type decides, and the keeper is the county (KAARI_DEFAULT_KEEPER).
"""

from __future__ import annotations

from typing import Any

from kaari.access import conf
from kaari.fhir.conventions import KEEPER_EXTENSION, REGISTER_HEALTH, REGISTER_SYSTEM, REGISTERS
from kaari.fhir.store import Labels, StoredResource

# FHIR R4 has no social-welfare-only resource types; everything defaults to health care unless the writer
# is a social welfare professional, a social welfare unit, or an integration that states it.
TYPE_REGISTER: dict[str, str] = {}


def type_register(resource_type: str) -> str:
    return TYPE_REGISTER.get(resource_type, REGISTER_HEALTH)


def stated_labels(resource: dict[str, Any] | None) -> Labels:
    """The register and keeper a resource's meta states, where valid."""
    meta = (resource or {}).get("meta") or {}
    register = next(
        (
            str(c.get("code"))
            for c in meta.get("security") or ()
            if c.get("system") == REGISTER_SYSTEM and c.get("code") in REGISTERS
        ),
        "",
    )
    keeper = ""
    for extension in meta.get("extension") or ():
        if extension.get("url") == KEEPER_EXTENSION:
            reference = str((extension.get("valueReference") or {}).get("reference", ""))
            if reference.startswith("Organization/"):
                keeper = reference.split("/", 1)[1]
    return Labels(register=register, keeper=keeper)


def labels_for_system(resource_type: str, resource: dict[str, Any] | None, existing: StoredResource | None) -> Labels:
    stated = stated_labels(resource)
    register = stated.register or (existing.register if existing else "") or type_register(resource_type)
    keeper = stated.keeper or (existing.keeper if existing else "") or conf.default_keeper()
    return Labels(register=register, keeper=keeper)
