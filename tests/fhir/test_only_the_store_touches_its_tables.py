"""One store, one gate: no module outside the store may reach the store's tables."""

import ast
from pathlib import Path

KAARI = Path(__file__).resolve().parents[2] / "kaari"
STORE_PACKAGES = ("kaari/fhir/store/", "kaari/fhir/search/", "kaari/fhir/models.py", "kaari/fhir/migrations/")
TABLE_NAMES = ("fhir_resource", "fhir_idx_", "fhir_patient_identity")


def modules_outside_the_store():
    for path in KAARI.rglob("*.py"):
        relative = path.relative_to(KAARI.parent).as_posix()
        if not relative.startswith(STORE_PACKAGES):
            yield relative, path


def test_no_module_outside_the_store_imports_the_store_models():
    offenders = []
    for relative, path in modules_outside_the_store():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in ("kaari.fhir.models", "kaari.fhir.store.repository"):
                offenders.append(relative)
            if (
                isinstance(node, ast.ImportFrom)
                and node.module == "kaari.fhir"
                and any(alias.name == "models" for alias in node.names)
            ):
                offenders.append(relative)
    assert offenders == []


def test_no_module_outside_the_store_names_the_store_tables_in_sql():
    offenders = [
        relative
        for relative, path in modules_outside_the_store()
        if any(name in path.read_text() for name in TABLE_NAMES)
    ]
    assert offenders == []
