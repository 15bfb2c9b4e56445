"""Edges of the QĐ 59/2015 and NĐ 351/2025 rules that differ from NĐ 07/2021 (domain.md §2.1, §2.2)."""

from __future__ import annotations

from giamngheo.engine.standard import get_standard

from .helpers import adult, classify_both, household, outcome

QD59 = get_standard("QD59-2015")
ND351 = get_standard("ND351-2025")
NO_DEVICES = {"has_tv": False, "has_radio": False, "has_computer": False, "has_smartphone": False}


def test_qd59_adult_education_from_15_without_lower_secondary() -> None:
    def deprived(age: int, level: str, in_school: bool) -> bool | None:
        member = adult(age=age, education_level=level, in_education=in_school)
        return outcome(QD59, household(adult(), member), "giao_duc_nguoi_lon").derived

    assert deprived(15, "primary", False) is True
    assert deprived(14, "primary", False) is False
    assert deprived(30, "primary", False) is True
    assert deprived(31, "primary", False) is False
    assert deprived(20, "lower_secondary", False) is False
    # As domain.md recalls the rule, being in school does not exempt (marked for checking in the data file).
    assert deprived(15, "primary", True) is True


def test_qd59_school_attendance_from_5_to_under_15() -> None:
    def deprived(age: int) -> bool | None:
        child = adult(age=age, in_education=False, education_level="none", work_status="not_in_labour_force")
        return outcome(QD59, household(adult(), child), "tre_em_di_hoc").derived

    assert (deprived(4), deprived(5), deprived(14), deprived(15)) == (False, True, True, False)


def test_qd59_information_assets_need_no_loudspeaker_either() -> None:
    code = "tai_san_tiep_can_thong_tin"
    assert outcome(QD59, household(**NO_DEVICES, hears_loudspeaker=False), code).derived is True
    assert outcome(QD59, household(**NO_DEVICES, hears_loudspeaker=True), code).derived is False
    assert outcome(QD59, household(has_tv=True, hears_loudspeaker=False), code).derived is False
    # Loudspeaker access not recorded: the rule cannot be derived and the entered flag decides.
    unknown = outcome(QD59, household(**NO_DEVICES, hears_loudspeaker=None, entered={code: True}), code)
    assert (unknown.derived, unknown.deprived) == (None, True)


def test_qd59_telecom_needs_neither_phone_nor_internet() -> None:
    code = "dich_vu_vien_thong"
    assert outcome(QD59, household(uses_internet=False, has_phone=False), code).derived is True
    assert outcome(QD59, household(uses_internet=False, has_phone=True), code).derived is False


def test_nd351_counts_waste_collection_and_not_information_devices() -> None:
    assert outcome(ND351, household(waste_collected=False), "thu_gom_xu_ly_rac").derived is True
    assert outcome(ND351, household(waste_collected=True), "thu_gom_xu_ly_rac").derived is False
    result = classify_both(ND351, household(**NO_DEVICES, hears_loudspeaker=False))
    assert result.deprivation_count == 0
    assert "tai_san_tiep_can_thong_tin" not in ND351.indicator_codes
