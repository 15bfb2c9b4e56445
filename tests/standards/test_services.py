"""The database mirror of the poverty standards: `sync_standards`, `giamngheo load-standards`, the admin."""

from __future__ import annotations

import hashlib
import shutil
import tomllib
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from giamngheo.engine.standard import NOT_STANDARDS
from giamngheo.standards.models import PovertyStandard
from giamngheo.standards.services import sync_standards

DATA_DIR = Path(settings.GIAMNGHEO_STANDARDS_DIR)


def standard_files(data_dir: Path) -> dict[str, Path]:
    return {path.stem: path for path in data_dir.glob("*.toml") if path.name not in NOT_STANDARDS}


def raw_standard(code: str, data_dir: Path = DATA_DIR) -> dict:
    return tomllib.loads((data_dir / f"{code}.toml").read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_sync_creates_one_row_per_data_file_with_its_values():
    synced = sync_standards()
    files = standard_files(DATA_DIR)
    assert [row.code for row in synced] == ["QD59-2015", "ND07-2021", "ND351-2025"]  # by validity
    assert set(PovertyStandard.objects.values_list("code", flat=True)) == set(files)
    for row in PovertyStandard.objects.all():
        raw = raw_standard(row.code)
        assert (row.name, row.instrument, row.valid_from, row.valid_to) == (
            raw["name_vi"], raw["instrument"], raw["valid_from"], raw["valid_to"]
        )  # fmt: skip
        assert row.source_sha256 == hashlib.sha256(files[row.code].read_bytes()).hexdigest()
        assert row.definition().id == row.code


@pytest.mark.django_db
def test_sync_is_idempotent():
    first = {row.code: (row.source_sha256, row.loaded_at) for row in sync_standards()}
    second = {row.code: (row.source_sha256, row.loaded_at) for row in sync_standards()}
    assert second == first  # nothing rewritten: loaded_at unchanged
    assert PovertyStandard.objects.count() == len(first)


@pytest.mark.django_db
def test_sync_updates_a_changed_file_and_keeps_a_removed_ones_row(tmp_path):
    sync_standards()
    changed = tmp_path / "data"
    shutil.copytree(DATA_DIR, changed)
    path = changed / "ND07-2021.toml"
    old_name = raw_standard("ND07-2021")["name_vi"]
    path.write_text(path.read_text(encoding="utf-8").replace(f'"{old_name}"', '"Tên mới"'), encoding="utf-8")
    (changed / "QD59-2015.toml").unlink()
    before = PovertyStandard.objects.get(code="ND07-2021")

    synced = sync_standards(data_dir=changed)

    assert [row.code for row in synced] == ["ND07-2021", "ND351-2025"]
    after = PovertyStandard.objects.get(code="ND07-2021")
    assert after.name == "Tên mới"
    assert after.source_sha256 == hashlib.sha256(path.read_bytes()).hexdigest() != before.source_sha256
    assert after.loaded_at > before.loaded_at
    assert PovertyStandard.objects.filter(code="QD59-2015").exists()  # reviews may refer to it
    assert PovertyStandard.objects.count() == 3


@pytest.mark.django_db
def test_load_standards_command_reports_what_changed():
    out = StringIO()
    call_command("load_standards", stdout=out)
    first = out.getvalue()
    raw = raw_standard("ND07-2021")
    line = (
        f"ND07-2021: {raw['name_vi']} ({raw['instrument']}, "
        f"{raw['valid_from']:%d/%m/%Y}–{raw['valid_to']:%d/%m/%Y}) — mới nạp"
    )
    assert line in first.splitlines()
    assert first.count("mới nạp") == 3
    assert "Đã đồng bộ 3 chuẩn nghèo." in first
    out = StringIO()
    call_command("load_standards", stdout=out)
    assert out.getvalue().count("không đổi") == 3
    assert PovertyStandard.objects.count() == 3


@pytest.fixture
def admin_client_logged_in(client):
    user = get_user_model().objects.create_superuser("quantri", "quantri@example.org", "mat-khau-dai-123")
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_admin_lists_standards_read_only(admin_client_logged_in):
    client = admin_client_logged_in
    sync_standards()
    listing = client.get("/admin/standards/povertystandard/")
    assert listing.status_code == 200
    body = listing.content.decode()
    for code in ("QD59-2015", "ND07-2021", "ND351-2025"):
        assert code in body
    assert client.get("/admin/standards/povertystandard/add/").status_code == 403
    detail = client.get("/admin/standards/povertystandard/ND07-2021/change/")
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()  # view only
    posted = client.post("/admin/standards/povertystandard/ND07-2021/change/", {"name": "đổi tên"})
    assert posted.status_code == 403
    assert (
        client.post("/admin/standards/povertystandard/ND07-2021/delete/", {"post": "yes"}).status_code == 403
    )
    assert PovertyStandard.objects.get(code="ND07-2021").name == raw_standard("ND07-2021")["name_vi"]
