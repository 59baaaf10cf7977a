"""Kaari's own FHIR conventions: the systems and URLs with which the store labels resources."""

from __future__ import annotations

REGISTER_SYSTEM = "https://kaari.fi/fhir/CodeSystem/register"
REGISTER_HEALTH = "health-care"
REGISTER_SOCIAL = "social-welfare"
REGISTERS = (REGISTER_HEALTH, REGISTER_SOCIAL)

KEEPER_EXTENSION = "https://kaari.fi/fhir/StructureDefinition/keeper"

FI_SECURITY_LABEL_SYSTEM = "https://hl7.fi/fhir/finnish-base-profiles/CodeSystem/fi-base-security-label-cs"
TURVAKIELTO = "TURVAKIELTO"

HETU_SYSTEM = "urn:oid:1.2.246.21"
