"""The GIN index behind full-text search over article translations, on PostgreSQL only (SQLite
searches with a plain LIKE and has no tsvector)."""

from django.db import migrations

INDEX = "help_translation_search_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON helpcentre_articletranslation USING gin (search_vector)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("helpcentre", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
