from django.db import migrations

# Resource bodies over about 2 kB (ExplanationOfBenefit, Claim, DiagnosticReport...) are compressed when stored.
# PostgreSQL's default, pglz, costs several times the CPU of lz4 to compress and to decompress, and a bulk load
# compresses every such body twice (the current row and its version). lz4 needs a server built with it
# (Debian's and the official images are); where it is missing the columns keep the default.


def _compression_set(schema_editor, method):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND %s = ANY(enumvals)", [method]
        )
        if cursor.fetchone() is None:
            return
        for table in ("fhir_resource", "fhir_resource_version"):
            cursor.execute(f"ALTER TABLE {table} ALTER COLUMN body SET COMPRESSION {method}")


def forwards(apps, schema_editor):
    _compression_set(schema_editor, "lz4")


def backwards(apps, schema_editor):
    _compression_set(schema_editor, "pglz")


class Migration(migrations.Migration):
    dependencies = [("fhir", "0004_token_statistics_target")]

    operations = [migrations.RunPython(forwards, backwards)]
