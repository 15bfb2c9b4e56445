"""The decision tests' scenario, shared."""

from tests.decisions.conftest import town  # noqa: F401
