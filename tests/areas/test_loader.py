"""Loading the whole country: counts, validity, parents, idempotency, repair, the command line."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from giamngheo import cli
from giamngheo.areas import loader
from giamngheo.areas.loader import load_units
from giamngheo.areas.models import AdminUnit, UnitLevel, UnitLoad, UnitSuccession
from giamngheo.areas.source import SourceDataError
from giamngheo.lib.formatting import group_thousands

from .conftest import EVE, REFORM


def _oracle(package_db, sql: str) -> int:
    return package_db.execute(sql).fetchone()[0]


def test_first_load_creates_every_unit_of_the_package(loaded, package_db):
    legacy_communes = _oracle(package_db, "SELECT count(DISTINCT wardCode) FROM admin_units_legacy")
    assert (loaded.legacy_provinces, loaded.legacy_districts) == (63, 696)
    assert loaded.legacy_communes == legacy_communes
    assert 10_000 <= legacy_communes <= 10_100
    assert (loaded.new_provinces, loaded.new_communes) == (34, 3321)
    assert loaded.units_created == 63 + 696 + legacy_communes + 34 + 3321
    assert loaded.successions_created == loaded.successions == UnitSuccession.objects.count()
    assert loaded.successions_by_level["province"] == 63
    assert loaded.warnings == []


def test_database_counts_either_side_of_the_reform(loaded):
    def count(day, level):
        return AdminUnit.objects.valid_on(day).filter(level=level).count()

    assert [count(EVE, level) for level in UnitLevel.values] == [
        loaded.legacy_provinces, loaded.legacy_districts, loaded.legacy_communes,
    ]  # fmt: skip
    assert [count(REFORM, level) for level in UnitLevel.values] == [34, 0, 3321]


def test_validity_and_parents(loaded):
    legacy = AdminUnit.objects.filter(valid_from__isnull=True)
    new = AdminUnit.objects.filter(valid_from__isnull=False)
    assert set(legacy.values_list("valid_to", flat=True)) == {EVE}
    assert set(new.values_list("valid_from", "valid_to")) == {(REFORM, None)}
    # Parent links stay inside each hierarchy: legacy commune → district → province; new commune → province.
    assert not legacy.communes().exclude(parent__level=UnitLevel.DISTRICT, parent__valid_from=None).exists()
    assert not legacy.districts().exclude(parent__level=UnitLevel.PROVINCE, parent__valid_from=None).exists()
    assert not new.communes().exclude(parent__level=UnitLevel.PROVINCE, parent__valid_from=REFORM).exists()
    assert not AdminUnit.objects.provinces().filter(parent__isnull=False).exists()


def test_units_carry_full_official_names(loaded):
    kong_chro_new = AdminUnit.objects.get(level=UnitLevel.COMMUNE, code="23824", valid_from=REFORM)
    assert (kong_chro_new.name, kong_chro_new.unit_type) == ("Xã Kông Chro", "Xã")
    district = AdminUnit.objects.get(level=UnitLevel.DISTRICT, code="630")
    assert (district.name, district.unit_type) == ("Huyện Kông Chro", "Huyện")
    assert district.parent.name == "Tỉnh Gia Lai"
    assert kong_chro_new.parent.name == "Tỉnh Gia Lai"
    assert kong_chro_new.parent.code == "52"
    assert (
        AdminUnit.objects.get(level=UnitLevel.PROVINCE, code="52", valid_from=None).name == "Tỉnh Bình Định"
    )
    assert (
        AdminUnit.objects.get(level=UnitLevel.PROVINCE, code="01", valid_from=REFORM).unit_type == "Thành phố"
    )
    assert kong_chro_new.source == loaded.source


def test_second_run_changes_nothing_and_says_so(loaded):
    audit_rows = UnitLoad.objects.count()
    with CaptureQueriesContext(connection) as queries:
        again = load_units()
    assert not again.changed
    assert (again.units_created, again.units_updated) == (0, 0)
    assert (again.successions_created, again.successions_updated, again.successions_deleted) == (0, 0, 0)
    assert UnitLoad.objects.count() == audit_rows
    assert again.legacy_communes == loaded.legacy_communes
    assert len(queries) < 15  # set-based: no per-unit queries


def test_a_run_repairs_drift_and_writes_an_audit_row(loaded):
    unit = AdminUnit.objects.get(level=UnitLevel.COMMUNE, code="23848", valid_from=None)
    unit.name = "Xã Sai Tên"
    unit.save()
    row = UnitSuccession.objects.get(predecessor=unit)
    row.is_default = False
    row.save()
    UnitSuccession.objects.filter(predecessor__code="23846").delete()
    stranger = AdminUnit.objects.get(level=UnitLevel.COMMUNE, code="00097", valid_from=REFORM)
    UnitSuccession.objects.create(
        predecessor=unit, successor=stranger, effective_on=REFORM, source=loaded.source
    )
    manual = UnitSuccession.objects.create(
        predecessor=AdminUnit.objects.get(level=UnitLevel.COMMUNE, code="23845", valid_from=None),
        successor=stranger,
        effective_on=REFORM,
        is_default=False,
        source="nhập tay",
    )
    at = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)

    report = load_units(at=at)

    assert (report.units_created, report.units_updated) == (0, 1)
    assert (report.successions_created, report.successions_updated, report.successions_deleted) == (1, 1, 1)
    unit.refresh_from_db()
    assert unit.name == "Xã Ya Ma"
    assert UnitSuccession.objects.get(predecessor=unit).is_default
    assert UnitSuccession.objects.filter(predecessor__code="23846", successor__code="23851").exists()
    assert UnitSuccession.objects.filter(pk=manual.pk).exists()  # rows from other sources are left alone
    audit = UnitLoad.objects.get(loaded_at=at)
    assert (audit.units_updated, audit.successions_created, audit.successions_deleted) == (1, 1, 1)


def test_a_moved_default_successor_is_moved_back(loaded):
    """Xã An Nghĩa (21634) was split; the package names Xã An Hòa (21628) as the main receiver."""
    rows = UnitSuccession.objects.filter(predecessor__code="21634", predecessor__valid_from=None)
    rows.filter(successor__code="21628").update(is_default=False)
    rows.filter(successor__code="21622").update(is_default=True)

    report = load_units()

    assert report.successions_updated == 2
    assert dict(rows.values_list("successor__code", "is_default")) == {"21628": True, "21622": False}


def test_command_line_prints_counts_in_vietnamese(loaded, capsys):
    assert cli.main(["load-units", "--skip-checks"]) == 0  # system checks are not under test here
    out, err = capsys.readouterr()
    communes = group_thousands(loaded.legacy_communes)
    assert f"Trước 01/07/2025: 63 tỉnh, 696 huyện, {communes} xã." in out
    assert "Từ 01/07/2025: 34 tỉnh, 3.321 xã." in out
    assert f"Chuyển đổi: {group_thousands(loaded.successions)} dòng (tỉnh cũ 63," in out
    assert "Không có thay đổi: dữ liệu đã khớp với nguồn." in out
    assert "Thời gian: " in out and " giây." in out
    assert "Cảnh báo" not in err


def test_bad_package_data_becomes_a_command_error(loaded, monkeypatch):
    def broken(**_kwargs):
        raise SourceDataError("Bảng chuyển đổi nhắc tới đơn vị cũ “x_y_z” không có trong dữ liệu.")

    monkeypatch.setattr(loader, "read_dataset", broken)
    with pytest.raises(CommandError, match="x_y_z"):
        call_command("load_units", stdout=io.StringIO())
