"""Classification of survey rows: income boundaries under each standard, deprivation counting, agreement with the
scalar engine. Expected classes follow the rules of survey-format.md; the lines are read from the standards."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giamngheo.engine.classify import classify_household
from giamngheo.engine.facts import AreaType, HouseholdFacts
from giamngheo.engine.standard import get_standard
from giamngheo.survey import classify_file
from tests.survey.conftest import household, indicator_headers, read_output, survey_headers, write_csv

RURAL, URBAN = AreaType.RURAL, AreaType.URBAN


def classify_rows(tmp_path, standard_id: str, rows: list[list]) -> list[dict]:
    source = write_csv(tmp_path / "in.csv", survey_headers(standard_id), rows)
    classify_file(source, tmp_path / "out.csv", standard=get_standard(standard_id))
    return read_output(tmp_path / "out.csv").records()


def deprivations(standard_id: str, count: int) -> list[str]:
    return indicator_headers(standard_id)[:count]


def case(standard_id: str, area: AreaType, income: int, *, count: int = 0, agri: bool = False) -> list:
    return household(
        f"H{income}-{count}-{agri}-{area.value}",
        income=str(income),
        area=area.value,
        agri="x" if agri else "",
        deprived=deprivations(standard_id, count),
        standard_id=standard_id,
    )


def test_documented_lines_are_the_standards():
    """survey-format.md's table, so that the boundary tests below test the documented figures."""
    lines = {
        sid: {area: (s.income[area].lower_line, s.income[area].poverty_line, s.income[area].middle_line)
              for area in AreaType}
        for sid, s in ((sid, get_standard(sid)) for sid in ("QD59-2015", "ND07-2021", "ND351-2025"))
    }  # fmt: skip
    assert lines == {
        "QD59-2015": {RURAL: (700_000, 1_000_000, 1_500_000), URBAN: (900_000, 1_300_000, 1_950_000)},
        "ND07-2021": {RURAL: (None, 1_500_000, 2_250_000), URBAN: (None, 2_000_000, 3_000_000)},
        "ND351-2025": {RURAL: (None, 2_200_000, None), URBAN: (None, 2_800_000, None)},
    }


@pytest.mark.parametrize("area", list(AreaType))
def test_single_line_boundaries_nd07(tmp_path, area):
    lines = get_standard("ND07-2021").income[area]
    line, middle = lines.poverty_line, lines.middle_line
    assert middle is not None
    sid = "ND07-2021"
    cases = [
        # exactly the line: poor with 3 deprivations, near-poor with 2; income alone never makes a household poor
        (case(sid, area, line, count=3), "ngheo"),
        (case(sid, area, line, count=2), "can_ngheo"),
        (case(sid, area, 0, count=0), "can_ngheo"),
        # above the line deprivations do not matter
        (case(sid, area, line + 1, count=12), "khong_ngheo"),
        # a farm household at the line is near-poor, not middle
        (case(sid, area, line, count=0, agri=True), "can_ngheo"),
        # the middle line is inclusive, and only for farm households
        (case(sid, area, line + 1, agri=True), "muc_song_trung_binh"),
        (case(sid, area, middle, agri=True), "muc_song_trung_binh"),
        (case(sid, area, middle + 1, agri=True), "khong_ngheo"),
        (case(sid, area, middle, agri=False), "khong_ngheo"),
    ]
    records = classify_rows(tmp_path, sid, [row for row, _ in cases])
    assert [r["phan_loai"] for r in records] == [expected for _, expected in cases]
    assert {r["chuan_ngheo"] for r in records} == {"ND07-2021"}


@pytest.mark.parametrize("area", list(AreaType))
def test_two_tier_boundaries_qd59(tmp_path, area):
    lines = get_standard("QD59-2015").income[area]
    lower, upper, middle = lines.lower_line, lines.poverty_line, lines.middle_line
    assert lower is not None and middle is not None
    sid = "QD59-2015"
    cases = [
        # at or below the lower line: poor whatever the deprivations
        (case(sid, area, lower, count=0), "ngheo"),
        (case(sid, area, lower + 1, count=0), "can_ngheo"),
        (case(sid, area, lower + 1, count=3), "ngheo"),
        (case(sid, area, upper, count=3), "ngheo"),  # the upper line is inclusive
        (case(sid, area, upper, count=2), "can_ngheo"),
        (case(sid, area, upper + 1, count=10), "khong_ngheo"),
        (case(sid, area, upper + 1, agri=True), "muc_song_trung_binh"),
        (case(sid, area, middle, agri=True), "muc_song_trung_binh"),
        (case(sid, area, middle + 1, agri=True), "khong_ngheo"),
        (case(sid, area, middle, agri=False), "khong_ngheo"),
    ]
    records = classify_rows(tmp_path, sid, [row for row, _ in cases])
    assert [r["phan_loai"] for r in records] == [expected for _, expected in cases]


@pytest.mark.parametrize("area", list(AreaType))
def test_nd351_has_no_middle_line(tmp_path, area):
    sid = "ND351-2025"
    line = get_standard(sid).income[area].poverty_line
    cases = [
        (case(sid, area, line, count=3), "ngheo"),
        (case(sid, area, line, count=2, agri=True), "can_ngheo"),
        (case(sid, area, line + 1, agri=True), "khong_ngheo"),
        (case(sid, area, line + 100_000, agri=True), "khong_ngheo"),
        (case(sid, area, 2 * line, agri=True), "khong_ngheo"),
    ]
    records = classify_rows(tmp_path, sid, [row for row, _ in cases])
    assert [r["phan_loai"] for r in records] == [expected for _, expected in cases]
    assert "muc_song_trung_binh" not in {r["phan_loai"] for r in records}


def test_only_the_standards_indicators_count_in_its_order(tmp_path):
    """A flag in a column the standard does not count is ignored; chi_so_thieu_hut follows the standard's order,
    not the file's."""
    qd59 = get_standard("QD59-2015")
    codes = list(qd59.indicator_codes)
    headers = ["ma_ho", "khu_vuc", "thu_nhap_binh_quan", "viec_lam", "dinh_duong", *reversed(codes)]
    flagged = {codes[0], codes[3], codes[-1]}
    row = ["H1", "nong_thon", "800000", "x", "x", *("x" if c in flagged else "" for c in reversed(codes))]
    source = write_csv(tmp_path / "in.csv", headers, [row])
    classify_file(source, tmp_path / "out.csv", standard=qd59)
    [record] = read_output(tmp_path / "out.csv").records()
    assert record["so_thieu_hut"] == "3"
    assert record["chi_so_thieu_hut"] == ";".join(c for c in codes if c in flagged)
    assert record["phan_loai"] == "ngheo"  # between the lines with 3 counted deprivations


def test_uncounted_flags_do_not_make_a_household_poor(tmp_path):
    nd07 = get_standard("ND07-2021")
    headers = [*survey_headers(), "tiep_can_dich_vu_y_te"]  # QĐ 59 only
    row = [*household("H1", income="1000000", deprived=deprivations("ND07-2021", 2)), "x"]
    source = write_csv(tmp_path / "in.csv", headers, [row])
    classify_file(source, tmp_path / "out.csv", standard=nd07)
    [record] = read_output(tmp_path / "out.csv").records()
    assert (record["phan_loai"], record["so_thieu_hut"]) == ("can_ngheo", "2")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    standard_id=st.sampled_from(["QD59-2015", "ND07-2021", "ND351-2025"]),
    households=st.lists(
        st.tuples(
            st.sampled_from(list(AreaType)),
            st.integers(min_value=0, max_value=3_500_000),
            st.booleans(),
            st.lists(st.booleans(), min_size=12, max_size=12),
        ),
        min_size=1,
        max_size=12,
    ),
)
def test_agrees_with_the_scalar_engine(tmp_path_factory, standard_id, households):
    standard = get_standard(standard_id)
    codes = list(standard.indicator_codes)
    rows, expected = [], []
    for index, (area, income, agri, flags) in enumerate(households):
        entered = {code: flags[i] for i, code in enumerate(codes)}
        rows.append(
            household(
                f"H{index}",
                income=f"{income:,}".replace(",", "."),
                area=area.value,
                agri="có" if agri else "không",
                deprived=[c for c in codes if entered[c]],
                standard_id=standard_id,
            )
        )
        scalar = classify_household(
            standard, HouseholdFacts(area_type=area, income_per_capita=income, is_agri=agri, entered=entered)
        )
        expected.append((scalar.poverty_class.value, str(scalar.deprivation_count), ";".join(scalar.counted)))
    records = classify_rows(tmp_path_factory.mktemp("agree"), standard_id, rows)
    assert [(r["phan_loai"], r["so_thieu_hut"], r["chi_so_thieu_hut"]) for r in records] == expected


def test_standard_in_force_is_chosen_by_date():
    from giamngheo.survey import resolve_standard

    assert resolve_standard(None, today=date(2021, 6, 1)).id == "QD59-2015"
    assert resolve_standard(None, today=date(2026, 12, 31)).id == "ND07-2021"
    assert resolve_standard(None, today=date(2027, 1, 1)).id == "ND351-2025"
    assert resolve_standard("QD59-2015", today=date(2027, 1, 1)).id == "QD59-2015"
