# The full-text index of each database: a GIN index on PostgreSQL, an FTS5 table on SQLite.

from django.db import migrations

from disrupt.search import fts


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_search_documents"),
    ]

    operations = [
        migrations.RunPython(fts.create, fts.drop),
    ]
