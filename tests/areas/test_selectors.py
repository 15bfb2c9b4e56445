"""Queries over the loaded country: resolving codes by date, successions, roll-up scopes, villages."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from giamngheo.areas.models import AdminUnit, UnitLevel, UnitSuccession, Village
from giamngheo.areas.reform import rehome_villages
from giamngheo.areas.selectors import (
    UnitAmbiguous,
    UnitNotFound,
    commune_ids_within,
    communes_within,
    default_successor,
    predecessors,
    resolve_unit,
    successors,
    unit_holding,
    village_commune_on,
    villages_of,
)

from .conftest import EVE, REFORM

# domain.md §7.3: the 14 units of old district Kông Chro (630, province 64) → 6 new communes of province 52.
KONG_CHRO = {
    "23824": ("23824", "Xã Kông Chro"), "23845": ("23824", "Xã Kông Chro"), "23854": ("23824", "Xã Kông Chro"),
    "23833": ("23833", "Xã Ya Ma"), "23836": ("23833", "Xã Ya Ma"), "23848": ("23833", "Xã Ya Ma"),
    "23830": ("23830", "Xã Chư Krey"), "23827": ("23830", "Xã Chư Krey"),
    "23839": ("23839", "Xã SRó"), "23840": ("23839", "Xã SRó"),
    "23842": ("23842", "Xã Đăk Song"), "23843": ("23842", "Xã Đăk Song"),
    "23851": ("23851", "Xã Chơ Long"), "23846": ("23851", "Xã Chơ Long"),
}  # fmt: skip

# A commune split between two new communes (Bình Định, now Gia Lai): Xã An Nghĩa → An Hòa (default), An Toàn.
SPLIT_OLD, SPLIT_DEFAULT, SPLIT_OTHER = "21634", "21628", "21622"

pytestmark = pytest.mark.usefixtures("loaded")


def legacy(code: str) -> AdminUnit:
    return resolve_unit(code, on=EVE)


def new(code: str) -> AdminUnit:
    return resolve_unit(code, on=REFORM)


def codes(ids: set[int]) -> set[tuple[str, bool]]:
    """(code, is_new) of the units with these ids."""
    return {
        (code, start is not None)
        for code, start in AdminUnit.objects.filter(pk__in=ids).values_list("code", "valid_from")
    }


# resolve_unit ---------------------------------------------------------------------------------------------------


def test_resolve_unit_by_date_either_side_of_the_reform():
    before, after = resolve_unit("23824", on=EVE), resolve_unit("23824", on=REFORM)
    assert (before.name, before.level, before.parent.code) == ("Thị trấn Kông Chro", UnitLevel.COMMUNE, "630")
    assert (after.name, after.level, after.parent.code) == ("Xã Kông Chro", UnitLevel.COMMUNE, "52")
    assert resolve_unit("23824", on=date(2020, 1, 1)) == before
    assert resolve_unit(" 23824 ", on=date(2030, 1, 1), level=UnitLevel.COMMUNE) == after
    assert resolve_unit("64", on=EVE).name == "Tỉnh Gia Lai"
    assert resolve_unit("52", on=EVE).name == "Tỉnh Bình Định"
    assert resolve_unit("52", on=REFORM).name == "Tỉnh Gia Lai"


def test_resolve_unit_explains_a_missing_or_retired_code_in_vietnamese():
    with pytest.raises(UnitNotFound, match=r"Không có đơn vị hành chính mã 630 .* ngày 01/07/2025"):
        resolve_unit("630", on=REFORM)  # districts ended with the reform
    with pytest.raises(AdminUnit.DoesNotExist, match="mã 64 "):
        resolve_unit("64", on=REFORM)  # old Gia Lai's code is retired
    with pytest.raises(UnitNotFound, match=r"\(Huyện, quận, thị xã\)"):
        resolve_unit("23824", on=EVE, level=UnitLevel.DISTRICT)
    with pytest.raises(ValueError, match="Cấp đơn vị hành chính không hợp lệ"):
        resolve_unit("23824", on=EVE, level="hamlet")


def test_resolve_unit_asks_for_the_level_when_a_code_is_ambiguous():
    AdminUnit.objects.create(code="630", name="Xã Thử", level=UnitLevel.COMMUNE, valid_to=EVE)
    with pytest.raises(UnitAmbiguous, match="cần chỉ rõ cấp"):
        resolve_unit("630", on=EVE)
    assert resolve_unit("630", on=EVE, level=UnitLevel.DISTRICT).name == "Huyện Kông Chro"


# successions ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("old_code", "expected"), sorted(KONG_CHRO.items()))
def test_kong_chro_commune_goes_to_the_new_commune_of_the_table(old_code, expected):
    old = legacy(old_code)
    assert (old.parent.code, old.parent.parent.code) == ("630", "64")
    [successor] = successors(old)
    assert (successor.code, successor.name, successor.parent.code) == (*expected, "52")
    row = UnitSuccession.objects.get(predecessor=old)
    assert row.is_default and row.effective_on == REFORM and row.source.startswith("vietnamadminunits ")
    assert unit_holding(old, on=REFORM) == successor


def test_kong_chro_district_has_14_communes_and_6_successors():
    district = legacy("630")
    assert set(district.children.values_list("code", flat=True)) == set(KONG_CHRO)
    expected = {new_code for new_code, _name in KONG_CHRO.values()}
    assert set(successors(district).values_list("code", flat=True)) == expected
    assert not UnitSuccession.objects.filter(predecessor=district, is_default=True).exists()
    assert {u.code for u in predecessors(new("23824")) if u.level == UnitLevel.DISTRICT} == {"630"}


def test_code_reused_under_another_name():
    """New Xã Ya Ma took old Kông Yang's code 23833; old Ya Ma's 23848 is retired."""
    assert legacy("23833").name == "Xã Kông Yang"
    assert new("23833").name == "Xã Ya Ma"
    assert legacy("23848").name == "Xã Ya Ma"
    with pytest.raises(UnitNotFound):
        new("23848")
    assert default_successor(legacy("23848")) == new("23833")
    assert set(predecessors(new("23833")).filter(level=UnitLevel.COMMUNE).values_list("code", flat=True)) == {
        "23833", "23836", "23848",
    }  # fmt: skip
    # Old Chư Krey 23827 is not new Chư Krey 23830.
    assert default_successor(legacy("23827")).code == "23830"
    with pytest.raises(UnitNotFound):
        new("23827")


def test_provinces_succeed_by_merger():
    assert [u.code for u in successors(legacy("64"))] == ["52"]
    assert default_successor(legacy("52")) == new("52")
    assert set(predecessors(new("52")).filter(level=UnitLevel.PROVINCE).values_list("code", flat=True)) == {
        "52", "64",
    }  # fmt: skip


def test_split_commune_resolves_under_each_receiving_commune():
    old = legacy(SPLIT_OLD)
    assert (old.name, old.parent.name) == ("Xã An Nghĩa", "Huyện An Lão")
    assert [(u.code, u.name) for u in successors(old)] == [
        (SPLIT_DEFAULT, "Xã An Hòa"),
        (SPLIT_OTHER, "Xã An Toàn"),
    ]
    assert unit_holding(old, on=REFORM) == new(SPLIT_DEFAULT)
    for receiver in (SPLIT_DEFAULT, SPLIT_OTHER):
        assert old.pk in commune_ids_within(new(receiver))
    assert old.pk in commune_ids_within(new("52"))
    assert old.pk not in commune_ids_within(new("23824"))


def test_every_split_commune_of_the_package_has_several_successors_and_one_default(package_db):
    divided = UnitSuccession.objects.filter(predecessor__level=UnitLevel.COMMUNE).values("predecessor")
    per_commune = divided.annotate(n=Count("pk"), defaults=Count("pk", filter=Q(is_default=True)))
    split = per_commune.filter(n__gt=1)
    assert {row["defaults"] for row in per_commune} == {1}
    assert split.count() == _divided_in_package()


def _divided_in_package() -> int:
    import json

    from giamngheo.areas.source import locate_package

    data = json.loads(locate_package().converter_json.read_text(encoding="utf-8"))
    return sum(len(olds) for olds in data["DICT_PROVINCE_WARD_DIVIDED"].values())


# unit_holding ---------------------------------------------------------------------------------------------------


def test_unit_holding_a_legacy_commune():
    old = legacy("23845")  # Xã Yang Trung
    assert unit_holding(old, on=EVE) == old
    assert unit_holding(old, on=EVE, level=UnitLevel.DISTRICT) == legacy("630")
    assert unit_holding(old, on=EVE, level=UnitLevel.PROVINCE) == legacy("64")
    assert unit_holding(old, on=REFORM) == new("23824")
    assert unit_holding(old, on=REFORM, level=UnitLevel.PROVINCE) == new("52")
    assert unit_holding(old, on=REFORM, level=UnitLevel.DISTRICT) is None


def test_unit_holding_a_new_commune_before_the_reform():
    merged = new("23824")  # from three old communes, all in district 630
    assert unit_holding(merged, on=REFORM) == merged
    assert unit_holding(merged, on=EVE) is None
    assert unit_holding(merged, on=EVE, level=UnitLevel.DISTRICT) == legacy("630")
    assert unit_holding(merged, on=EVE, level=UnitLevel.PROVINCE) == legacy("64")
    assert unit_holding(merged, on=REFORM, level=UnitLevel.DISTRICT) is None


def test_unit_holding_a_new_commune_with_a_single_predecessor():
    single = (
        AdminUnit.objects.filter(valid_from=REFORM, level=UnitLevel.COMMUNE)
        .annotate(n=Count("predecessions", filter=Q(predecessions__predecessor__level=UnitLevel.COMMUNE)))
        .filter(n=1)
        .order_by("code")
        .first()
    )
    [only] = predecessors(single).filter(level=UnitLevel.COMMUNE)
    assert unit_holding(single, on=EVE) == only


def test_unit_holding_a_special_zone_that_was_a_district_without_communes():
    zone = new("11948")
    assert zone.name == "Đặc khu Bạch Long Vĩ"
    assert unit_holding(zone, on=EVE) is None
    assert unit_holding(zone, on=EVE, level=UnitLevel.DISTRICT) == legacy("318")
    assert unit_holding(zone, on=EVE, level=UnitLevel.PROVINCE).name == "Thành phố Hải Phòng"


def test_unit_holding_takes_communes_only():
    with pytest.raises(ValueError, match="không phải đơn vị cấp xã"):
        unit_holding(legacy("630"), on=EVE)


# commune_ids_within ---------------------------------------------------------------------------------------------


def test_communes_within_old_district_630():
    assert codes(commune_ids_within(legacy("630"))) == {(code, False) for code in KONG_CHRO}


def test_communes_within_old_province_64(package_db):
    province = legacy("64")
    ids = commune_ids_within(province)
    (expected,) = package_db.execute(
        "SELECT count(*) FROM admin_units_legacy WHERE provinceCode = '64' AND wardCode IS NOT NULL"
    ).fetchone()
    assert len(ids) == expected
    by_district = set().union(*(commune_ids_within(d) for d in province.children.all()))
    assert ids == by_district
    assert all(not is_new for _code, is_new in codes(ids))


def test_communes_within_new_commune_23824():
    assert codes(commune_ids_within(new("23824"))) == {
        ("23824", True), ("23824", False), ("23845", False), ("23854", False),
    }  # fmt: skip
    assert set(communes_within(new("23824")).values_list("name", flat=True)) == {
        "Xã Kông Chro", "Thị trấn Kông Chro", "Xã Yang Trung", "Xã Yang Nam",
    }  # fmt: skip


def test_communes_within_new_province_52(package_db):
    def oracle(sql: str) -> int:
        return package_db.execute(sql).fetchone()[0]

    with CaptureQueriesContext(connection) as queries:
        ids = commune_ids_within(new("52"))
    assert len(queries) <= 5  # set-based: a few queries per generation of successions, not per commune
    found = codes(ids)
    assert sum(is_new for _c, is_new in found) == oracle(
        "SELECT count(*) FROM admin_units WHERE provinceCode = '52'"
    )
    assert sum(not is_new for _c, is_new in found) == oracle(
        "SELECT count(*) FROM admin_units_legacy WHERE provinceCode IN ('52', '64') AND wardCode IS NOT NULL"
    )
    assert commune_ids_within(legacy("64")) < ids and commune_ids_within(legacy("52")) < ids


# villages -------------------------------------------------------------------------------------------------------


def test_village_of_a_split_commune_belongs_to_the_new_commune_that_took_it():
    old = legacy(SPLIT_OLD)
    took = Village.objects.create(
        commune=new(SPLIT_OTHER), legacy_commune=old, local_code="01", name="Thôn 1"
    )
    not_yet_moved = Village.objects.create(commune=old, local_code="02", name="Thôn 2")
    assert village_commune_on(took, EVE) == old  # records before the reform name the legacy commune
    assert village_commune_on(took, REFORM) == new(SPLIT_OTHER)
    assert village_commune_on(not_yet_moved, REFORM) == new(SPLIT_DEFAULT)  # the default successor
    # The reform moves a village still attached to an ended commune to the default successor, once.
    assert rehome_villages(Village, UnitSuccession, AdminUnit) == 1
    not_yet_moved.refresh_from_db()
    assert (not_yet_moved.commune, not_yet_moved.legacy_commune) == (new(SPLIT_DEFAULT), old)
    assert rehome_villages(Village, UnitSuccession, AdminUnit) == 0
    assert set(villages_of(old)) == {took, not_yet_moved} and set(villages_of(new(SPLIT_OTHER))) == {took}


def test_village_outside_its_validity_has_no_commune():
    village = Village.objects.create(
        commune=legacy("23848"),
        local_code="LANG-1",
        name="Làng Thử",
        valid_from=date(2010, 1, 1),
        valid_to=EVE,
    )
    assert village_commune_on(village, date(2009, 12, 31)) is None
    assert village_commune_on(village, date(2024, 1, 1)) == legacy("23848")
    assert village_commune_on(village, REFORM) is None


# invariants in the database ------------------------------------------------------------------------------------


def test_a_unit_has_at_most_one_default_successor_and_never_itself():
    old = legacy("23845")
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitSuccession.objects.create(
            predecessor=old, successor=new("23833"), effective_on=REFORM, is_default=True
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitSuccession.objects.create(predecessor=old, successor=old, effective_on=REFORM, is_default=False)
    assert default_successor(old) == new("23824")


def test_a_villages_commune_today_must_be_a_successor_of_its_legacy_commune():
    village = Village(commune=new("23824"), legacy_commune=legacy(SPLIT_OLD), local_code="03", name="Thôn 3")
    with pytest.raises(ValidationError, match=r"Xã hiện nay phải là một xã nhận địa bàn của Xã An Nghĩa"):
        village.full_clean()
    village.commune = new(SPLIT_OTHER)
    village.full_clean()
