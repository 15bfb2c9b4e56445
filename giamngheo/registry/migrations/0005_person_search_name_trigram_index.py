"""PostgreSQL: a trigram index on the folded names, so that a search by part of a name reads the matching people
instead of every name (`reviews.selectors._name_condition`); 25 ms for 400,000 people without it, growing with the
registry. SQLite has no such index and keeps reading the name index whole."""

from typing import Any

from django.db import migrations

INDEX = "person_search_name_trgm"


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_person USING gin (search_name gin_trgm_ops)"
    )


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_event_assessed_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
