"""GIN trigram index on the folded search text of published petitions (PostgreSQL only; SQLite scans).

The public list searches only ``status = 'published'`` rows, so the index is partial: a third of the
table or less, and nothing to maintain while a petition is being handled. ``pg_trgm`` is a trusted
extension since PostgreSQL 13 (catalog 0002 creates it too).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "petition_public_search_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON petitions_petition USING gin (search_text gin_trgm_ops) "
        "WHERE status = 'published'"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_initial")]

    operations = [
        TrigramExtension(),  # a no-op on other databases
        migrations.RunPython(create_index, drop_index),
    ]
