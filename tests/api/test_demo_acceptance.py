"""The acceptance check of issue 3, as it is run against the demo: `xa.kongchro`'s token lists only households of
its commune and gets 404 for a SRó household.

The demo's accounts are bound by the demo's own code (`demo.users.ensure_demo_users`) over a small slice of the
same units (the personas' Kông Chro 23824, SRó 23839 and province 52); the token is printed by
`giamngheo token create`, as an officer would get it.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from giamngheo.demo.users import DEMO_USERS, ensure_demo_users
from tests.registry.factories import REFORM, make_household

pytestmark = pytest.mark.django_db


def test_commune_officer_token_reads_only_its_commune(client: Client, personas: Any) -> None:
    # The accounts whose units the slice holds.
    ensure_demo_users(users=[u for u in DEMO_USERS if u.unit_code in {None, "52", "23824", "23839"}])
    for number in range(3):
        make_household(commune=personas.units["new_sro"], code=f"SRO-{number}", registered_on=REFORM)
        make_household(commune=personas.units["new_commune"], code=f"KC-{number}", registered_on=REFORM)
    out = StringIO()
    call_command("token", "create", "xa.kongchro", stdout=out)
    headers = {"Authorization": f"Bearer {out.getvalue().strip()}"}

    listing = client.get("/api/households", {"limit": 500}, headers=headers).json()
    assert listing["count"] == len(listing["items"]) == 4
    for item in listing["items"]:
        household = client.get(f"/api/households/{item['id']}", headers=headers)
        assert household.status_code == 200
        assert household.json()["commune"]["code"] == "23824"  # new Kông Chro, or the legacy town inside it

    sro = client.get(f"/api/households/{personas.sro_household.pk}", headers=headers)
    missing = client.get("/api/households/999999999", headers=headers)
    assert sro.status_code == missing.status_code == 404
    assert sro.content == missing.content
    assert client.get("/api/households", {"q": "H-SRO"}, headers=headers).json()["count"] == 0
