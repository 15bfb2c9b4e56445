"""Area scope: who reads which households, including the 2025 reform's legacy communes and split communes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from giamngheo.accounts import access
from giamngheo.accounts.models import Role
from giamngheo.accounts.scope import scope_for
from giamngheo.accounts.services import area_role_assign
from giamngheo.areas.models import UnitSuccession, Village
from tests.registry.factories import LEGACY_END, REFORM, make_household, make_unit, make_user

pytestmark = pytest.mark.django_db

VISIBLE = {
    "owner": {"H-KONGCHRO"},
    "viewer": {"H-KONGCHRO"},
    "peer": {"H-SRO"},
    "outsider": {"H-FAR"},
    "province": {"H-KONGCHRO", "H-SRO"},
    "admin": {"H-KONGCHRO", "H-SRO", "H-FAR"},
    "unbound": set(),
}


@pytest.mark.parametrize("name", sorted(VISIBLE))
def test_each_persona_sees_exactly_its_area(personas, name: str) -> None:
    user = personas.users()[name]
    codes = set(access.households_for(user).values_list("code", flat=True))
    assert codes == VISIBLE[name]
    assert set(access.households_for(user).values_list("code", flat=True)) == VISIBLE[name]


def test_new_commune_officer_reads_legacy_commune_households(personas) -> None:
    """The Kông Chro household was registered in the legacy town commune 23824 (closed 30/06/2025)."""
    assert personas.kongchro_household.commune.valid_to == LEGACY_END
    found = access.household_for_read(personas.owner, personas.kongchro_household.pk)
    assert found.code == "H-KONGCHRO"


@pytest.mark.parametrize("name", ["peer", "outsider", "unbound"])
def test_missing_and_not_yours_give_the_same_404(personas, name: str) -> None:
    user = personas.users()[name]
    with pytest.raises(Http404) as not_yours:
        access.household_for_read(user, personas.kongchro_household.pk)
    with pytest.raises(Http404) as missing:
        access.household_for_read(user, 10_000_000)
    assert str(not_yours.value) == str(missing.value)


@pytest.mark.parametrize(
    ("name", "allowed"), [("owner", True), ("admin", True), ("viewer", False), ("province", False)]
)
def test_only_officers_and_admins_edit(personas, name: str, allowed: bool) -> None:
    user = personas.users()[name]
    if allowed:
        assert access.household_for_edit(user, personas.kongchro_household.pk).code == "H-KONGCHRO"
    else:
        with pytest.raises(PermissionDenied):
            access.household_for_edit(user, personas.kongchro_household.pk)


def test_inactive_account_sees_nothing(personas) -> None:
    personas.owner.is_active = False
    personas.owner.save()
    personas.owner.__dict__.pop("_giamngheo_scope", None)
    assert not access.households_for(personas.owner).exists()


def test_split_commune_is_covered_village_by_village(personas) -> None:
    """A legacy commune split between two new communes: each officer reads only the villages its commune took."""
    units = personas.units
    split = make_unit("23850", name="Xã chia đôi", parent=units["district"], valid_to=LEGACY_END)
    UnitSuccession.objects.create(
        predecessor=split, successor=units["new_commune"], effective_on=REFORM, is_default=True
    )
    UnitSuccession.objects.create(
        predecessor=split, successor=units["new_sro"], effective_on=REFORM, is_default=False
    )
    # Since the reform the villages belong to the new communes that took them, keeping the split one for history.
    to_kongchro = Village.objects.create(
        commune=units["new_commune"], legacy_commune=split, local_code="A", name="Thôn A"
    )
    to_sro = Village.objects.create(
        commune=units["new_sro"], legacy_commune=split, local_code="B", name="Thôn B"
    )
    make_household(commune=split, village=to_kongchro, code="H-SPLIT-A")
    make_household(commune=split, village=to_sro, code="H-SPLIT-B")
    make_household(commune=split, code="H-SPLIT-NOVILLAGE")  # follows the default successor, Kông Chro

    def codes(user) -> set[str]:
        user.__dict__.pop("_giamngheo_scope", None)
        return set(access.households_for(user).filter(commune=split).values_list("code", flat=True))

    assert codes(personas.owner) == {"H-SPLIT-A", "H-SPLIT-NOVILLAGE"}
    assert codes(personas.peer) == {"H-SPLIT-B"}
    assert codes(personas.province) == {"H-SPLIT-A", "H-SPLIT-B", "H-SPLIT-NOVILLAGE"}


def test_village_reviewer_reads_only_assigned_villages(personas) -> None:
    other_village = Village.objects.create(commune=personas.units["town"], local_code="02", name="Làng khác")
    make_household(commune=personas.units["town"], village=other_village, code="H-OTHER-VILLAGE")
    reviewer = make_user("rasoat")
    area_role_assign(
        user=reviewer,
        role=Role.VILLAGE,
        area=personas.units["new_commune"],
        villages=[personas.kongchro_village],
    )
    assert set(access.households_for(reviewer).values_list("code", flat=True)) == {"H-KONGCHRO"}
    scope = scope_for(reviewer)
    assert scope.can_assess and not scope.can_edit


def test_village_reviewer_cannot_be_given_a_village_outside_the_area(personas) -> None:
    far_village = Village.objects.create(
        commune=personas.units["far_commune"], local_code="X", name="Thôn xa"
    )
    make_household(commune=personas.units["far_commune"], village=far_village, code="H-FAR-VILLAGE",
                   registered_on=REFORM)  # fmt: skip
    reviewer = make_user("rasoat2")
    area_role_assign(
        user=reviewer, role=Role.VILLAGE, area=personas.units["new_commune"], villages=[far_village]
    )
    assert not access.households_for(reviewer).exists()


def test_figures_scope(personas) -> None:
    owner = scope_for(personas.owner)
    assert owner.covers_unit(personas.units["new_commune"])
    assert owner.covers_unit(personas.units["town"])
    assert not owner.covers_unit(personas.units["new_sro"])
    assert not owner.covers_unit(personas.units["district"])  # the old district also had SRó
    assert scope_for(personas.province).covers_unit(personas.units["district"])  # all of 630 went to 52
    assert not scope_for(personas.province).covers_unit(personas.units["other_district"])  # 23900 did not
    assert scope_for(personas.province).covers_unit(personas.units["new_commune"])
    with pytest.raises(Http404):
        access.unit_for_stats(personas.peer, personas.units["new_commune"])
