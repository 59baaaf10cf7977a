from django.db import migrations, models

NEW = (
    "CREATE INDEX fhir_idx_token_code ON fhir_idx_token (resource_type, param, code, resource_id){include}"
)
# Multi-column statistics: the columns of an index row are far from independent (param 'status' on Claim is
# nearly always 'active'), and without them PostgreSQL underestimates common codes a hundredfold.
STATISTICS = {
    "fhir_idx_token_stats": ("fhir_idx_token", "resource_type, param, code"),
    "fhir_idx_reference_stats": ("fhir_idx_reference", "resource_type, param, target_type"),
    "fhir_idx_date_stats": ("fhir_idx_date", "resource_type, param"),
    "fhir_idx_string_stats": ("fhir_idx_string", "resource_type, param"),
    "fhir_idx_quantity_stats": ("fhir_idx_quantity", "resource_type, param, code"),
    "fhir_idx_uri_stats": ("fhir_idx_uri", "resource_type, param"),
    "fhir_idx_number_stats": ("fhir_idx_number", "resource_type, param"),
}


def forwards(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS fhir_idx_token_code")
        cursor.execute(NEW.format(include=" INCLUDE (system)" if postgres else ""))
        if postgres:
            for name, (table, columns) in STATISTICS.items():
                cursor.execute(f"CREATE STATISTICS IF NOT EXISTS {name} (dependencies, mcv) ON {columns} FROM {table}")


def backwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS fhir_idx_token_code")
        cursor.execute(
            "CREATE INDEX fhir_idx_token_code ON fhir_idx_token (resource_type, param, code, system, resource_id)"
        )
        if schema_editor.connection.vendor == "postgresql":
            for name in STATISTICS:
                cursor.execute(f"DROP STATISTICS IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("fhir", "0002_search_index_tables")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="tokenindex", name="fhir_idx_token_code"),
                migrations.AddIndex(
                    model_name="tokenindex",
                    index=models.Index(fields=["resource_type", "param", "code", "resource_id"], name="fhir_idx_token_code"),
                ),
            ],
            database_operations=[migrations.RunPython(forwards, backwards)],
        )
    ]
