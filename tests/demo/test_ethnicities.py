"""The ethnicity master (giamngheo/registry/data/ethnicities.toml): both code lists, flags, loading, syncing."""

from __future__ import annotations

from pathlib import Path

import pytest

from giamngheo.registry.ethnicities import EthnicityDataError, ethnic_groups, ethnicities_sync, group_by_code
from giamngheo.registry.models import CodeList, Ethnicity

# domain.md §9, list A, in order.
LIST_A = [
    "Kinh",
    "Tày",
    "Thái",
    "Hoa",
    "Khơ-me",
    "Mường",
    "Nùng",
    "Hmông",
    "Dao",
    "Gia-rai",
    "Ngái",
    "Ê-đê",
    "Ba-na",
    "Xơ-đăng",
    "Sán Chay",
    "Cơ-ho",
    "Chăm",
    "Sán Dìu",
    "Hrê",
    "Mnông",
    "Ra-glai",
    "Xtiêng",
    "Bru-Vân Kiều",
    "Thổ",
    "Giáy",
    "Cơ-tu",
    "Gié-Triêng",
    "Mạ",
    "Khơ-mú",
    "Co",
    "Tà-ôi",
    "Chơ-ro",
    "Kháng",
    "Xinh-mun",
    "Hà Nhì",
    "Chu-ru",
    "Lào",
    "La Chí",
    "La Ha",
    "Phù Lá",
    "La Hủ",
    "Lự",
    "Lô Lô",
    "Chứt",
    "Mảng",
    "Pà Thẻn",
    "Cơ Lao",
    "Cống",
    "Bố Y",
    "Si La",
    "Pu Péo",
    "Brâu",
    "Ơ Đu",
    "Rơ-măm",
]
# domain.md §9, list B, codes 01–20 (the part that could be read).
LIST_B = [
    "Kinh",
    "Tày",
    "Thái",
    "Mường",
    "Khmer",
    "Hoa",
    "Nùng",
    "Mông",
    "Dao",
    "Gia Rai",
    "Ê Đê",
    "Ba Na",
    "Sán Chay",
    "Chăm",
    "Cơ Ho",
    "Xơ Đăng",
    "Sán Dìu",
    "Hrê",
    "Ra Glay",
    "Mnông",
]


def test_list_a_has_the_54_groups_in_the_documented_order() -> None:
    by_code = {g.code_a: g.name for g in ethnic_groups()}
    assert by_code == {f"{i:02d}": name for i, name in enumerate(LIST_A, start=1)}


def test_list_b_codes_are_those_of_the_gso_list() -> None:
    by_code = {g.code_b: g.name_in(CodeList.B) for g in ethnic_groups() if g.code_b}
    assert by_code == {f"{i:02d}": name for i, name in enumerate(LIST_B, start=1)}


def test_ba_na_and_jrai() -> None:
    ba_na = group_by_code("13")
    assert (ba_na.name, ba_na.code_b, ba_na.is_minority, ba_na.is_local_indigenous) == (
        "Ba-na",
        "12",
        True,
        True,
    )
    assert "Bahnar" in ba_na.alt_names
    jrai = group_by_code("10", CodeList.B)
    assert (jrai.code_a, jrai.is_local_indigenous) == ("10", True) and "Jrai" in jrai.alt_names
    assert not group_by_code("01").is_minority
    assert [g.name for g in ethnic_groups() if g.is_local_indigenous] == ["Gia-rai", "Ba-na"]
    with pytest.raises(EthnicityDataError, match="mã 99"):
        group_by_code("99")


def test_a_bad_data_file_is_refused_with_the_entry_named(tmp_path: Path) -> None:
    path = tmp_path / "ethnicities.toml"
    path.write_text(
        '[[ethnicity]]\nname = "Kinh"\ncode_a = "01"\n[[ethnicity]]\nname = "Tày"\ncode_a = "01"\n'
    )
    with pytest.raises(EthnicityDataError, match="Tày: mã 01 bị trùng trong danh mục A"):
        ethnic_groups(path)
    path.write_text('[[ethnicity]]\nname = "Kinh"\ncode_a = "1"\n')
    with pytest.raises(EthnicityDataError, match="phải gồm 2 chữ số"):
        ethnic_groups(path)


@pytest.mark.django_db
def test_sync_creates_one_row_per_list_and_code_and_is_idempotent() -> None:
    ethnicities_sync()
    assert ethnicities_sync() == 0
    assert Ethnicity.objects.filter(code_list=CodeList.A).count() == 54
    assert Ethnicity.objects.filter(code_list=CodeList.B).count() == 20
    ba_na_a = Ethnicity.objects.get(code_list=CodeList.A, code="13")
    ba_na_b = Ethnicity.objects.get(code_list=CodeList.B, code="12")
    assert (ba_na_a.name, ba_na_b.name) == ("Ba-na", "Ba Na")
    assert "Ba Na" in ba_na_a.alt_names and "Ba-na" in ba_na_b.alt_names
    assert ba_na_a.is_local_indigenous and ba_na_b.is_local_indigenous
    Ethnicity.objects.filter(pk=ba_na_a.pk).update(name="sai")
    assert ethnicities_sync() == 1
    assert Ethnicity.objects.get(pk=ba_na_a.pk).name == "Ba-na"
