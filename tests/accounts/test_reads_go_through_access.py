"""Views and API endpoints read protected records only through `accounts.access` (and the selectors it is given):
a static check over their source, in the spirit of Zulip's lint rule against raw `.objects.get` in views.

Protected: households and everything recorded about them (people, memberships, living conditions, history,
assessments) and review rounds, and the decisions on them (recognition decisions, official statuses, approval
steps). In the modules that answer requests (`web`, `api`, the job views), naming such a
model's manager (`Household.objects`, `Assessment._default_manager`, ...) or looking one up by name
(`apps.get_model`) is refused; `Model.objects.none()` (an empty choice list for a form field) reads nothing and is
allowed. The check is itself tested on a deliberately unguarded read.
"""

from __future__ import annotations

import ast
from pathlib import Path

import giamngheo

PROTECTED = frozenset(
    {
        "Household",
        "Person",
        "Membership",
        "LivingConditions",
        "HouseholdEvent",
        "Assessment",
        "Review",
        "Decision",
        "OfficialStatus",
        "Approval",
    }
)
MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})
PACKAGE = Path(giamngheo.__file__).resolve().parent
REQUEST_MODULES = ("web", "api", "jobs/views.py")


def unguarded_reads(source: str, filename: str = "<source>") -> list[str]:
    """`file:line: what` for each read of a protected model that bypasses the access functions."""
    tree = ast.parse(source, filename)
    # Names bound to protected models in this module (plain and aliased imports from any models module).
    models: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.endswith(".models"):
            for alias in node.names:
                if alias.name in PROTECTED:
                    models[alias.asname or alias.name] = alias.name
    found: list[str] = []
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            base = node.value
            name = base.id if isinstance(base, ast.Name) else None
            if name in models:
                call = parents.get(parents.get(node))  # type: ignore[arg-type]
                method = parents.get(node)
                reads_nothing = (
                    isinstance(method, ast.Attribute) and method.attr == "none" and isinstance(call, ast.Call)
                )
                if not reads_nothing:
                    found.append(f"{filename}:{node.lineno}: {models[name]}.{node.attr}")
        if isinstance(node, ast.Attribute) and node.attr == "get_model":
            found.append(f"{filename}:{node.lineno}: get_model")
    return found


def request_modules() -> list[Path]:
    paths: list[Path] = []
    for entry in REQUEST_MODULES:
        path = PACKAGE / entry
        paths.extend([path] if path.suffix == ".py" else sorted(path.rglob("*.py")))
    return [path for path in paths if "migrations" not in path.parts]


def test_views_and_endpoints_read_protected_models_only_through_access() -> None:
    modules = request_modules()
    assert len(modules) > 20  # the check looks at the real code
    found = [
        problem
        for path in modules
        for problem in unguarded_reads(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE)))
    ]
    assert found == []


def test_the_check_catches_an_unguarded_read() -> None:
    source = """
from giamngheo.registry.models import Household
from giamngheo.reviews.models import Assessment as Stored
from giamngheo.accounts.access import households_for

def fine(request):
    return households_for(request.user).filter(code="H-1"), Stored.objects.none()

def leaks(request, pk):
    household = Household.objects.get(pk=pk)
    return household, Stored._default_manager.filter(household=household)
"""
    assert unguarded_reads(source, "views.py") == [
        "views.py:10: Household.objects",
        "views.py:11: Assessment._default_manager",
    ]
