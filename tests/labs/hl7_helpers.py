from pathlib import Path

from kaari.labs.hl7.mapping import oru_to_bundle
from kaari.labs.hl7.parse import oru_parse
from tests.labs.factories import KNOWLEDGE

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def bundle_of(text: str) -> dict:
    return oru_to_bundle(message=oru_parse(text=text), catalogue=KNOWLEDGE.catalogue)


def resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]
