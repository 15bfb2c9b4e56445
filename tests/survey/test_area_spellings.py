"""The area-type column `khu_vuc` accepts the decrees' own words: "nông thôn" / "thành thị" (NĐ 07/2021) and
"khu vực nông thôn" / "khu vực đô thị" (NĐ 351/2025), with or without diacritics, in any case, with stray spaces
and punctuation; anything else is a row error that names the row, the column and the accepted values."""

from __future__ import annotations

import unicodedata
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from giamngheo.engine.facts import AreaType
from giamngheo.lib.text import fold
from giamngheo.survey import classify_file
from giamngheo.survey.errors import CellError
from giamngheo.survey.values import parse_area_type
from tests.survey.conftest import household, read_output, survey_headers, write_csv, write_xlsx

RURAL = ["nong_thon", "nông thôn", "khu vực nông thôn"]
URBAN = ["thanh_thi", "thành thị", "khu vực thành thị", "đô thị", "khu vực đô thị"]
SPELLINGS = [(text, AreaType.RURAL) for text in RURAL] + [(text, AreaType.URBAN) for text in URBAN]


def variants(text: str) -> list[str]:
    """The spelling as given, without diacritics, in upper case (both), with extra spaces and decomposed (NFD)."""
    plain = fold(text).replace(" ", "_") if "_" in text else fold(text)
    return [
        text,
        plain,
        text.upper(),
        plain.upper(),
        "  " + text.replace(" ", "   ").replace("_", " _ ") + "\t",
        unicodedata.normalize("NFD", text.title()),
    ]


@pytest.mark.parametrize(("spelling", "area"), SPELLINGS)
def test_every_spelling_and_its_variants(spelling, area):
    for text in variants(spelling):
        assert parse_area_type(text, "khu_vuc") == area, repr(text)


@pytest.mark.parametrize(
    ("text", "area"),
    [("Khu vực: nông thôn", AreaType.RURAL), ("khu-vuc-do-thi", AreaType.URBAN), ("KHU_VUC_THANH_THI", AreaType.URBAN),
     ("Đô thị.", AreaType.URBAN), ("nongthon", AreaType.RURAL), ("khu\u00a0vực\u00a0đô\u00a0thị", AreaType.URBAN)],
)  # fmt: skip
def test_punctuation_and_odd_spaces_are_folded(text, area):
    assert parse_area_type(text, "khu_vuc") == area


@pytest.mark.parametrize(
    "text",
    ["miền núi", "khu vực", "khu vực miền núi", "nông thôn mới", "đô", "thành phố", "vùng nông thôn", "1"],
)
def test_anything_else_is_refused_with_the_accepted_values(text):
    with pytest.raises(CellError) as caught:
        parse_area_type(text, "khu_vuc")
    message = str(caught.value)
    assert message.startswith(f"cột khu_vuc: giá trị '{text}' không phải nong_thon hoặc thanh_thi")
    assert "(nông thôn: nong_thon, nông thôn, khu vực nông thôn; " in message
    assert "thành thị: thanh_thi, thành thị, khu vực thành thị, đô thị, khu vực đô thị)" in message


@pytest.mark.parametrize("value", [1, 2.5, True])
def test_a_number_is_refused(value):
    with pytest.raises(CellError, match="không phải nong_thon hoặc thanh_thi"):
        parse_area_type(value, "khu_vuc")


def test_a_workbook_with_the_decree_spellings_classifies(tmp_path, nd07):
    """Through the whole pipeline, in an .xlsx as Excel hands it over: the urban line applies to 'khu vực đô
    thị' (2,000,000 under NĐ 07/2021), the rural line to 'Khu vực nông thôn' (1,500,000)."""
    rows = [
        household("H1", area="Khu vực nông thôn", income=1_800_000),
        household("H2", area="khu vực đô thị", income=1_800_000),
        household("H3", area="KHU VUC THANH THI", income=1_800_000),
        household("H4", area="Nông thôn ", income=1_400_000),
    ]
    source = write_xlsx(tmp_path / "in.xlsx", survey_headers(), rows)
    report = classify_file(source, tmp_path / "out.xlsx", standard=nd07)
    assert report.error_rows == ()
    assert [row.area_type for row in report.survey.rows] == [
        AreaType.RURAL,
        AreaType.URBAN,
        AreaType.URBAN,
        AreaType.RURAL,
    ]
    output = read_output(tmp_path / "out.xlsx")
    assert output.column("phan_loai") == ["khong_ngheo", "can_ngheo", "can_ngheo", "can_ngheo"]
    assert output.column("khu_vuc") == [
        "Khu vực nông thôn",
        "khu vực đô thị",
        "KHU VUC THANH THI",
        "Nông thôn ",
    ]


def test_a_refused_value_names_the_row_the_column_and_the_accepted_values(tmp_path):
    rows = [household("H1", area="khu vực đô thị"), household("H2", area="miền núi")]
    source = write_csv(tmp_path / "in.csv", survey_headers(), rows)
    stderr = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("classify", str(source), "-o", str(tmp_path / "out.csv"), "--standard", "ND07-2021",
                     stdout=StringIO(), stderr=stderr)  # fmt: skip
    assert caught.value.returncode == 1
    expected = (
        "dòng 3 (mã hộ H2): cột khu_vuc: giá trị 'miền núi' không phải nong_thon hoặc thanh_thi "
        "(nông thôn: nong_thon, nông thôn, khu vực nông thôn; "
        "thành thị: thanh_thi, thành thị, khu vực thành thị, đô thị, khu vực đô thị)"
    )
    assert expected in stderr.getvalue()
    output = read_output(tmp_path / "out.csv")
    assert output.column("phan_loai") == ["can_ngheo", ""]
    assert output.column("loi")[1] == expected.removeprefix("dòng 3 (mã hộ H2): ")
