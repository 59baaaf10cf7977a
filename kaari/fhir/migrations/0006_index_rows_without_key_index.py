from django.db import migrations

# Search-index rows are found by what they index (value, resource, compartment), never by their own `id`, and are
# only ever deleted by resource. On PostgreSQL the unique index behind that `id` cost one more B-tree insert for
# each of the ~14 index rows a resource writes, a measurable part of bulk loading, and answered no query. The
# column stays (Django's models need a key), only its index goes. These tables are derived from the resources
# (`kaari reindex` rebuilds them), so a logical-replication publication should leave them out or give them
# REPLICA IDENTITY FULL.

TABLES = ("date", "number", "quantity", "reference", "string", "token", "uri")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"ALTER TABLE fhir_idx_{table} DROP CONSTRAINT IF EXISTS fhir_idx_{table}_pkey")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"ALTER TABLE fhir_idx_{table} ADD CONSTRAINT fhir_idx_{table}_pkey PRIMARY KEY (id)")


class Migration(migrations.Migration):
    dependencies = [("fhir", "0005_body_lz4")]

    operations = [migrations.RunPython(forwards, backwards)]
