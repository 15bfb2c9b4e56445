"""The demo district, generated once for the whole tests/demo package.

`django_db_setup` is overridden for this package only: after pytest-django has created the test database, the
`giamngheo demo` command generates the district inside a transaction that stays open while the package's tests
run (each test runs in its own savepoint) and is rolled back afterwards, so tests elsewhere never see the demo.

The district is generated on the test calendar's day (`tests.conftest.NOW`, during the end-2026 periodic review,
before its cut-off date): this package-scoped fixture runs before the per-test calendar fixture, so it sets the
clock itself. The end-2026 review is then open, and its survey days run up to that day.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction

from tests.conftest import NOW


@dataclass(frozen=True)
class DemoSetup:
    output: str
    seconds: float


_setup: list[DemoSetup] = []


@pytest.fixture(scope="package")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        started = time.perf_counter()
        out = io.StringIO()
        with time_machine.travel(NOW, tick=True):
            call_command("demo", stdout=out)
        # Check the deferred foreign keys now, in the outer transaction: otherwise every test's savepoint rollback
        # would put them back in the queue and every teardown would check them all again (PostgreSQL).
        connection.check_constraints()
        _setup.append(DemoSetup(output=out.getvalue(), seconds=time.perf_counter() - started))
        print(f"\n[demo] district generated in {_setup[0].seconds:.1f} s")
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_setup(django_db_setup: None) -> DemoSetup:
    return _setup[0]
