from django.db import migrations

# Codes are many and skewed (a few thousand LOINC codes, most with hundreds to tens of thousands of rows).
# With the default statistics target PostgreSQL knows only the top hundred (type, parameter, code)
# combinations and underestimates the rest tenfold, which turns a merge join into thousands of lookups.


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("ALTER TABLE fhir_idx_token ALTER COLUMN code SET STATISTICS 1000")
        cursor.execute("ALTER STATISTICS fhir_idx_token_stats SET STATISTICS 5000")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("ALTER TABLE fhir_idx_token ALTER COLUMN code SET STATISTICS -1")
        cursor.execute("ALTER STATISTICS fhir_idx_token_stats SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("fhir", "0003_token_index_order")]

    operations = [migrations.RunPython(forwards, backwards)]
