"""PostgreSQL: a search by part of a name reads the trigram index on the folded names (migration 0005), not every
name; SQLite reads its ordinary index."""

from __future__ import annotations

import pytest
from django.db import connection

from giamngheo.registry.models import Person

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL index"),
]


def test_a_search_by_part_of_a_name_can_use_the_trigram_index() -> None:
    query = Person.objects.filter(search_name__contains="nguyen van").values("pk")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SET LOCAL enable_seqscan = off"
        )  # the test table is tiny: make the planner show its index
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "person_search_name_trgm" in plan
