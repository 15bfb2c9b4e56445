"""The decision tests' scenario (four households of legacy TT Kông Chro, 2022 decided) is the goals' too."""

from tests.decisions.conftest import town  # noqa: F401 — a fixture used by name
