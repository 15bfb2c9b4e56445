"""Working age against the law (standards/data/labour.toml): the minimum working age of the Labour Code, the
retirement roadmap of Bộ luật Lao động 2019 Điều 169 and NĐ 135/2020/NĐ-CP Điều 4 with the table of its Phụ lục I,
and the moment of retirement of NĐ 135/2020 Điều 3. Each law sentence below is quoted from the data file's comments,
and the tests check that the data file still quotes it."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from giamngheo.engine.facts import member_facts
from giamngheo.engine.labour import (
    DATA_FILE,
    LabourDataError,
    LabourRules,
    labour_rules,
    retirement_month,
    working_age,
)

# Bộ luật Lao động 2019, Điều 3 khoản 1.
MINIMUM_AGE_LAW = "Độ tuổi lao động tối thiểu của người lao động là đủ 15 tuổi"
# Bộ luật Lao động 2019, Điều 169 khoản 2; Nghị định 135/2020/NĐ-CP, Điều 4.
RETIREMENT_AGE_LAW = (
    "Kể từ ngày 01 tháng 01 năm 2021, tuổi nghỉ hưu của người lao động trong điều kiện lao động bình thường là đủ "
    "60 tuổi 03 tháng đối với lao động nam và đủ 55 tuổi 04 tháng đối với lao động nữ; sau đó, cứ mỗi năm tăng "
    "thêm 03 tháng đối với lao động nam cho đến khi đủ 62 tuổi vào năm 2028 và cứ mỗi năm tăng thêm 04 tháng đối "
    "với lao động nữ cho đến khi đủ 60 tuổi vào năm 2035."
)
# Nghị định 135/2020/NĐ-CP, Điều 3 khoản 1.
RETIREMENT_MOMENT_LAW = "Thời điểm nghỉ hưu là kết thúc ngày cuối cùng của tháng đủ tuổi nghỉ hưu"
# Phụ lục I of NĐ 135/2020 as the data file summarises it.
TABLE_2026 = (
    "men born 10/1964–06/1965 retire at 61 years 6 months in 2026, women born 05/1969–12/1969 at 57 years"
)

ON = date(2026, 11, 20)  # tests.conftest.NOW


def comments(path: Path) -> str:
    """The comments of a TOML file as one line of text (wrapped lines joined)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return re.sub(r"\s+", " ", " ".join(line.lstrip("#").strip() for line in lines if line.startswith("#")))


def months(years: int, extra: int = 0) -> int:
    return years * 12 + extra


def age_in_months(birth: date, month: date) -> int:
    """The age in whole months reached during `month` by someone born on `birth`."""
    return (month.year - birth.year) * 12 + month.month - birth.month


def law_age(sex: str, year: int) -> int:
    """The retirement age (in months) of people who reach it in `year`, restated from RETIREMENT_AGE_LAW."""
    if sex == "nam":
        return min(months(60, 3) + 3 * (year - 2021), months(62))
    return min(months(55, 4) + 4 * (year - 2021), months(60))


@pytest.mark.parametrize("sentence", [MINIMUM_AGE_LAW, RETIREMENT_AGE_LAW, RETIREMENT_MOMENT_LAW, TABLE_2026])
def test_the_data_file_quotes_the_law(sentence: str) -> None:
    assert sentence in comments(DATA_FILE)


def test_the_data_file_holds_the_figures_of_the_law() -> None:
    rules = labour_rules()
    assert rules.minimum_age == 15
    men, women = rules.retirement["nam"], rules.retirement["nu"]
    assert (men.first_year, men.first_months, men.step_months, men.final_months) == (
        2021,
        months(60, 3),
        3,
        months(62),
    )
    assert (women.first_year, women.first_months, women.step_months, women.final_months) == (
        2021,
        months(55, 4),
        4,
        months(60),
    )


@pytest.mark.parametrize("year", range(2021, 2041))
@pytest.mark.parametrize("sex", ["nam", "nu"])
def test_retirement_age_of_each_year_follows_the_roadmap(sex: str, year: int) -> None:
    """Someone who reaches the age set for `year` in June of that year retires in June of that year, at that age."""
    age = law_age(sex, year)
    assert labour_rules().retirement[sex].age_in(year) == age
    birth_month = year * 12 + 5 - age  # months since year 0 of June `year`, minus the age
    birth = date(birth_month // 12, birth_month % 12 + 1, 10)
    month = retirement_month(birth, sex)
    assert month == date(year, 6, 1)
    assert age_in_months(birth, month) == age


def test_the_roadmap_reaches_its_caps_in_2028_for_men_and_2035_for_women() -> None:
    men, women = labour_rules().retirement["nam"], labour_rules().retirement["nu"]
    assert [men.age_in(y) for y in (2027, 2028, 2029, 2040)] == [
        months(61, 9),
        months(62),
        months(62),
        months(62),
    ]
    assert [women.age_in(y) for y in (2034, 2035, 2036, 2050)] == [
        months(59, 8),
        months(60),
        months(60),
        months(60),
    ]


@pytest.mark.parametrize(
    ("birth", "sex", "month", "age"),
    [
        # The first ages, 2021: men 60 years 3 months, women 55 years 4 months.
        (date(1960, 10, 15), "nam", date(2021, 1, 1), months(60, 3)),
        (date(1961, 9, 15), "nam", date(2021, 12, 1), months(60, 3)),
        (date(1965, 9, 10), "nu", date(2021, 1, 1), months(55, 4)),
        (date(1966, 8, 10), "nu", date(2021, 12, 1), months(55, 4)),
        # 2026: men born 10/1964–06/1965 at 61 years 6 months; the months either side retire in 2025 and 2027.
        (date(1964, 9, 30), "nam", date(2025, 12, 1), months(61, 3)),
        (date(1964, 10, 1), "nam", date(2026, 4, 1), months(61, 6)),
        (date(1965, 3, 15), "nam", date(2026, 9, 1), months(61, 6)),
        (date(1965, 3, 31), "nam", date(2026, 9, 1), months(61, 6)),
        (date(1965, 6, 30), "nam", date(2026, 12, 1), months(61, 6)),
        (date(1965, 7, 1), "nam", date(2027, 4, 1), months(61, 9)),
        # 2026: women born 05/1969–12/1969 at 57 years.
        (date(1969, 4, 10), "nu", date(2025, 12, 1), months(56, 8)),
        (date(1969, 5, 10), "nu", date(2026, 5, 1), months(57)),
        (date(1969, 8, 10), "nu", date(2026, 8, 1), months(57)),
        (date(1969, 12, 10), "nu", date(2026, 12, 1), months(57)),
        (date(1970, 1, 10), "nu", date(2027, 5, 1), months(57, 4)),
        # The caps: men 62 from 2028, women 60 from 2035.
        (date(1966, 3, 15), "nam", date(2027, 12, 1), months(61, 9)),
        (date(1966, 4, 15), "nam", date(2028, 4, 1), months(62)),
        (date(1980, 1, 1), "nam", date(2042, 1, 1), months(62)),
        (date(1975, 4, 20), "nu", date(2034, 12, 1), months(59, 8)),
        (date(1975, 5, 20), "nu", date(2035, 5, 1), months(60)),
        (date(1990, 7, 1), "nu", date(2050, 7, 1), months(60)),
    ],
)
def test_retirement_month_matches_the_decree_table(birth: date, sex: str, month: date, age: int) -> None:
    assert retirement_month(birth, sex) == month
    assert age_in_months(birth, month) == age


@pytest.mark.parametrize(
    ("birth", "sex", "last_day"),
    [
        (date(1965, 3, 15), "nam", date(2026, 9, 30)),  # 61 years 6 months on 15/09/2026
        (date(1965, 6, 15), "nam", date(2026, 12, 31)),  # 61 years 6 months on 15/12/2026
        (date(1969, 8, 10), "nu", date(2026, 8, 31)),  # 57 years on 10/08/2026
        (date(1966, 4, 15), "nam", date(2028, 4, 30)),  # 62 years
        (date(1975, 5, 20), "nu", date(2035, 5, 31)),  # 60 years
    ],
)
def test_of_working_age_until_the_end_of_the_retirement_month(birth: date, sex: str, last_day: date) -> None:
    """RETIREMENT_MOMENT_LAW: retirement is at the end of the last day of the month the age is reached."""
    next_day = date.fromordinal(last_day.toordinal() + 1)
    assert working_age(birth, sex, last_day.replace(day=1)) == (True, False)
    assert working_age(birth, sex, last_day) == (True, False)
    assert working_age(birth, sex, next_day) == (False, True)
    # The facts a member gets on those days say the same.
    on_last = member_facts(birth_date=birth, sex=sex, on=last_day)
    on_next = member_facts(birth_date=birth, sex=sex, on=next_day)
    assert (on_last.working_age, on_last.past_working_age) == (True, False)
    assert (on_next.working_age, on_next.past_working_age) == (False, True)


def test_a_man_born_in_march_1965_retires_in_september_2026() -> None:
    birth = date(1965, 3, 15)
    assert retirement_month(birth, "nam") == date(2026, 9, 1)
    assert working_age(birth, "nam", date(2026, 9, 30)) == (True, False)
    assert working_age(birth, "nam", date(2026, 10, 1)) == (False, True)


@pytest.mark.parametrize("sex", ["nam", "nu", None])
def test_of_working_age_from_the_fifteenth_birthday(sex: str | None) -> None:
    """MINIMUM_AGE_LAW: "đủ 15 tuổi", 15 completed years, from the 15th birthday."""
    birth = date(2011, 11, 20)
    assert working_age(birth, sex, date(2026, 11, 19)) == (False, False)
    assert working_age(birth, sex, date(2026, 11, 20)) == (True, False)
    facts = member_facts(birth_date=birth, sex=sex, on=date(2026, 11, 20))
    assert (facts.age, facts.working_age) == (15, True)
    facts = member_facts(birth_date=birth, sex=sex, on=date(2026, 11, 19))
    assert (facts.age, facts.working_age) == (14, False)


def test_born_on_29_february_of_working_age_when_their_age_reaches_15() -> None:
    """Working age starts on the day the member's age (`facts.age_on`) reaches 15: 1 March in a common year."""
    birth = date(2012, 2, 29)
    for day in (date(2027, 2, 28), date(2027, 3, 1)):
        facts = member_facts(birth_date=birth, sex="nu", on=day)
        assert facts.working_age is (facts.age == 15)
    assert working_age(birth, "nu", date(2027, 3, 1)) == (True, False)


@pytest.mark.parametrize(
    ("birth", "expected"),
    [
        (date(1996, 6, 1), (True, False)),  # 30: of working age whatever the sex
        (date(2012, 6, 1), (False, False)),  # 14: not yet, whatever the sex
        (date(1956, 6, 1), (False, True)),  # 70: past it, whatever the sex
        (date(1968, 6, 1), (None, None)),  # 58: a woman is past it (retired 2024), a man is not
        (date(1965, 3, 15), (False, True)),  # 61: a man retired in 09/2026, a woman years before
        (date(1965, 6, 15), (None, None)),  # 61: a man retires in 12/2026, a woman did years before
    ],
)
def test_unknown_sex_is_decided_only_where_both_sexes_agree(
    birth: date, expected: tuple[bool | None, bool | None]
) -> None:
    assert working_age(birth, None, ON) == expected
    if None not in expected:
        assert working_age(birth, "nam", ON) == working_age(birth, "nu", ON) == expected
    else:
        assert working_age(birth, "nam", ON) != working_age(birth, "nu", ON)
    facts = member_facts(birth_date=birth, sex=None, on=ON)
    assert (facts.working_age, facts.past_working_age) == expected


def test_a_58_year_old_woman_is_past_working_age_and_a_man_is_not() -> None:
    birth = date(1968, 6, 1)
    assert working_age(birth, "nu", ON) == (False, True)
    assert working_age(birth, "nam", ON) == (True, False)


@pytest.mark.parametrize("sex", ["nam", "nu", None])
def test_unknown_birth_date_leaves_working_age_unknown(sex: str | None) -> None:
    assert working_age(None, sex, ON) == (None, None)
    facts = member_facts(birth_date=None, sex=sex, on=ON)
    assert (facts.age, facts.working_age, facts.past_working_age) == (None, None, None)


# --- The data file is checked when it is read -------------------------------------------------------------------

LABOUR_TEXT = DATA_FILE.read_text(encoding="utf-8")


def labour_file(tmp_path: Path, old: str, new: str) -> Path:
    assert old in LABOUR_TEXT
    path = tmp_path / "labour.toml"
    path.write_text(LABOUR_TEXT.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_copy_of_the_real_file_gives_the_same_rules(tmp_path: Path) -> None:
    path = tmp_path / "labour.toml"
    path.write_text(LABOUR_TEXT, encoding="utf-8")
    copy = labour_rules(path)
    assert isinstance(copy, LabourRules)
    assert copy == labour_rules()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("minimum_age = 15", "", "labour.toml: 'minimum_age' phải là số năm (10–18)"),
        ("minimum_age = 15", "minimum_age = 9", "labour.toml: 'minimum_age' phải là số năm (10–18)"),
        ("minimum_age = 15", 'minimum_age = "15"', "labour.toml: 'minimum_age' phải là số năm (10–18)"),
        ("[retirement.nu]", "[retirement.nu_]", "labour.toml: thiếu [retirement.nu]"),
        (
            "first_age = { years = 60, months = 3 }",
            "first_age = { years = 60 }",
            "labour.toml, retirement.nam.first_age: cần { years = …, months = … }",
        ),
        (
            "first_age = { years = 55, months = 4 }",
            "first_age = { years = 55, months = 12 }",
            "labour.toml, retirement.nu.first_age: số năm, số tháng không hợp lệ",
        ),
        (
            "final_age = { years = 62, months = 0 }",
            "final_age = { years = 62, months = -1 }",
            "labour.toml, retirement.nam.final_age: số năm, số tháng không hợp lệ",
        ),
        (
            "final_age = { years = 62, months = 0 }",
            "final_age = { years = 60, months = 0 }",
            "labour.toml, retirement.nam: lộ trình không hợp lệ",
        ),
        ("step_months = 4", "step_months = 13", "labour.toml, retirement.nu: lộ trình không hợp lệ"),
    ],
)
def test_a_malformed_file_is_refused_in_vietnamese(tmp_path: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(LabourDataError) as error:
        labour_rules(labour_file(tmp_path, old, new))
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("first_year = 2021\nfirst_age = { years = 60", "first_age = { years = 60"),
        ("step_months = 3", "step_months = 3.5"),
        ("minimum_age = 15", "minimum_age = = 15"),
    ],
    ids=["missing first_year", "fractional step_months", "TOML syntax error"],
)
def test_every_malformed_file_is_refused_with_a_labour_data_error(tmp_path: Path, old: str, new: str) -> None:
    with pytest.raises(LabourDataError, match=r"labour\.toml"):
        labour_rules(labour_file(tmp_path, old, new))
