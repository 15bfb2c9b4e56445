"""Who may open and use the edit forms: the owner edits; viewer and province staff get 403; a peer, an
outsider and an account without a role get the same 404 as for a household that does not exist."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.accounts.models import Role
from giamngheo.accounts.services import area_role_assign
from giamngheo.registry.models import HouseholdEvent
from tests.registry.factories import make_user
from tests.web.test_edit_forms import form_data, scenario

pytestmark = pytest.mark.django_db

EXPECTED = {
    "owner": 200,
    "admin": 200,
    "viewer": 403,
    "province": 403,
    "peer": 404,
    "outsider": 404,
    "unbound": 404,
}

# (url name, needs a member, method)
ENDPOINTS = [
    ("web:household-edit", False, "get"),
    ("web:household-edit-preview", False, "post"),
    ("web:member-add", False, "get"),
    ("web:member-add-preview", False, "post"),
    ("web:member-edit", True, "get"),
    ("web:member-edit-preview", True, "post"),
    ("web:member-leave", True, "get"),
    ("web:member-leave-preview", True, "post"),
    ("web:living-conditions", False, "get"),
    ("web:living-conditions-preview", False, "post"),
    ("web:assessment-add", False, "get"),
    ("web:assessment-add-preview", False, "post"),
]


def _url(name: str, household_pk: int, person_pk: int | None) -> str:
    return reverse(name, args=[household_pk, person_pk] if person_pk is not None else [household_pk])


@pytest.mark.parametrize("persona", sorted(EXPECTED))
@pytest.mark.parametrize(("name", "member", "method"), ENDPOINTS)
def test_each_persona_gets_what_its_role_allows(
    client: Client, personas: Any, persona: str, name: str, member: bool, method: str
) -> None:
    world = scenario(personas)
    client.force_login(personas.users()[persona])
    person_pk = world.wife.pk if member else None
    response = getattr(client, method)(_url(name, world.household.pk, person_pk))
    assert response.status_code == EXPECTED[persona]
    if EXPECTED[persona] == 404:
        missing = getattr(client, method)(_url(name, world.household.pk + 10_000, person_pk))
        assert missing.status_code == 404 and missing.content == response.content


@pytest.mark.parametrize("persona", ["viewer", "province", "peer", "outsider", "unbound"])
def test_saving_outside_ones_rights_changes_nothing(client: Client, personas: Any, persona: str) -> None:
    world = scenario(personas)
    client.force_login(personas.owner)
    url = reverse("web:member-edit", args=[world.household.pk, world.wife.pk])
    data = form_data(client.get(url).context["form"], has_health_insurance="False")
    before = HouseholdEvent.objects.count()

    client.force_login(personas.users()[persona])
    response = client.post(url, data)
    assert response.status_code == EXPECTED[persona]
    world.wife.refresh_from_db()
    assert world.wife.has_health_insurance is True and HouseholdEvent.objects.count() == before
    rerecord = client.post(
        reverse("web:assessment-rerecord", args=[world.household.pk]), {"version": 1, "seen": 0}
    )
    assert rerecord.status_code == EXPECTED[persona]


def test_village_reviewer_records_assessments_but_does_not_edit(client: Client, personas: Any) -> None:
    world = scenario(personas)
    reviewer = make_user("thon.tomo")
    area_role_assign(
        user=reviewer,
        role=Role.VILLAGE,
        area=personas.units["new_commune"],
        villages=[personas.kongchro_village],
    )
    client.force_login(reviewer)
    assert client.get(reverse("web:assessment-add", args=[world.household.pk])).status_code == 200
    assert client.get(reverse("web:household-edit", args=[world.household.pk])).status_code == 403
    page = client.get(reverse("web:household-detail", args=[world.household.pk])).content.decode()
    assert "Ghi phiếu rà soát" in page and "Sửa thông tin hộ" not in page


@pytest.mark.parametrize(("persona", "status"), [("owner", 200), ("admin", 200), ("viewer", 403),
                                                 ("province", 403), ("unbound", 403)])  # fmt: skip
def test_household_creation_needs_an_editing_role(
    client: Client, personas: Any, persona: str, status: int
) -> None:
    client.force_login(personas.users()[persona])
    assert client.get(reverse("web:household-create")).status_code == status
    assert client.get(reverse("web:household-villages")).status_code == status


@pytest.mark.parametrize(("persona", "shown"), [("owner", True), ("admin", True), ("viewer", False),
                                                ("province", False)])  # fmt: skip
def test_edit_buttons_only_where_the_scope_allows(
    client: Client, personas: Any, persona: str, shown: bool
) -> None:
    world = scenario(personas)
    client.force_login(personas.users()[persona])
    page = client.get(reverse("web:household-detail", args=[world.household.pk])).content.decode()
    edit_links = (
        reverse("web:household-edit", args=[world.household.pk]),
        reverse("web:member-edit", args=[world.household.pk, world.wife.pk]),
        reverse("web:assessment-add", args=[world.household.pk]),
    )
    assert all((link in page) is shown for link in edit_links)


def test_anonymous_visitors_are_sent_to_login(client: Client, personas: Any) -> None:
    world = scenario(personas)
    for name, member, method in [*ENDPOINTS, ("web:assessment-rerecord", False, "post")]:
        url = _url(name, world.household.pk, world.wife.pk if member else None)
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), name
