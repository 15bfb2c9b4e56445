"""Load the whole country once for the tests of this package, and remove it afterwards.

Loading takes a few seconds, so the `country` fixture is package-scoped: it loads outside the per-test
transactions, every test of tests/areas sees the same data (each test's own writes are rolled back), and the
teardown deletes it so tests of other apps start from an empty unit table. Do not use transactional tests
(`django_db(transaction=True)`) here: their flush would wipe the shared data.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date

import pytest
from django.core.management.color import no_style
from django.db import connection
from pytest_django import DjangoDbBlocker

from giamngheo.areas.loader import LoadReport, load_units
from giamngheo.areas.models import AdminUnit, UnitLoad, UnitSuccession, Village
from giamngheo.areas.source import locate_package

EVE = date(2025, 6, 30)
REFORM = date(2025, 7, 1)


@pytest.fixture(scope="package")
def country(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[LoadReport]:
    with django_db_blocker.unblock():
        assert not AdminUnit.objects.exists(), "tests/areas expects an empty unit table"
        report = load_units()
        yield report
        # A flush of the unit tables (TRUNCATE … CASCADE on PostgreSQL): deleting 14,000 rows one FK check at a
        # time takes seconds. Tables referencing units are empty here, since every test rolls back its own rows.
        tables = [model._meta.db_table for model in (AdminUnit, UnitSuccession, UnitLoad, Village)]
        connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables, allow_cascade=True))


@pytest.fixture
def loaded(country: LoadReport, db: None) -> LoadReport:
    """The first load's report, inside a test transaction."""
    return country


@pytest.fixture(scope="session")
def package_db() -> Iterator[sqlite3.Connection]:
    """The package's own SQLite file, read directly: an independent oracle for counts."""
    conn = sqlite3.connect(locate_package().dataset_db.resolve().as_uri() + "?mode=ro", uri=True)
    yield conn
    conn.close()
