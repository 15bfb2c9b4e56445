"""Validation of registry input, shared by the single-record services and the bulk variants.

Each function checks plain values and returns the problems as {field: [message, ...]} in Vietnamese, naming the
field and the value; the caller raises them as a ValidationError (single path) or prefixes them with the row
(bulk path). Checks that need the database (unique codes, unique citizen IDs) are done by the callers, set-based.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from giamngheo.areas.models import AdminUnit, UnitLevel, Village
from giamngheo.registry.models import (
    AreaType,
    BirthDatePrecision,
    EducationLevel,
    Ethnicity,
    LatrineType,
    LivingConditions,
    Material,
    Person,
    Relationship,
    SchoolLevel,
    Sex,
    VocationalLevel,
    WaterSource,
    WorkStatus,
)

Problems = dict[str, list[str]]

CITIZEN_ID = re.compile(r"^\d{12}$")

# Person fields a caller may pass as `**facts` (the facts the engine reads, plus the other recorded attributes).
PERSON_FACT_FIELDS: tuple[str, ...] = (
    "birth_date_precision",
    "disabled",
    "receives_social_allowance",
    "has_health_insurance",
    "in_education",
    "school_level",
    "education_level",
    "vocational_level",
    "work_status",
    "has_labour_contract",
    "able_to_work",
    "malnourished",
    "on_the_job_training_certified",
    "has_meritorious_service",
    "date_of_death",
)
PERSON_FIELDS: tuple[str, ...] = (
    "full_name",
    "sex",
    "birth_date",
    "citizen_id",
    "ethnicity",
    *PERSON_FACT_FIELDS,
)
_PERSON_BOOLEANS = ("has_meritorious_service",)
# Facts the standards read: None is "not recorded", never "no".
_PERSON_NULLABLE_BOOLEANS = (
    "disabled",
    "receives_social_allowance",
    "has_health_insurance",
    "in_education",
    "has_labour_contract",
    "able_to_work",
    "malnourished",
    "on_the_job_training_certified",
)
_PERSON_CHOICES: dict[str, Any] = {
    "school_level": SchoolLevel,
    "education_level": EducationLevel,
    "vocational_level": VocationalLevel,
    "work_status": WorkStatus,
}

LIVING_CONDITIONS_FIELDS: tuple[str, ...] = (
    "wall_material",
    "pillar_material",
    "roof_material",
    "floor_area_m2",
    "water_source",
    "latrine_type",
    "uses_internet",
    "has_phone",
    "has_tv",
    "has_radio",
    "has_computer",
    "has_smartphone",
    "waste_collected",
    "hears_loudspeaker",
)
_LC_CHOICES: dict[str, Any] = {
    "wall_material": Material,
    "pillar_material": Material,
    "roof_material": Material,
    "water_source": WaterSource,
    "latrine_type": LatrineType,
}
_MAX_FLOOR_AREA = Decimal("99999.99")  # max_digits=7, decimal_places=2

HOUSEHOLD_FLAGS: tuple[str, ...] = ("is_agri", "has_meritorious_member", "no_working_capacity")


def label(model: type[Any], name: str) -> str:
    """A field's Vietnamese name, capitalised for the start of a message."""
    text = str(model._meta.get_field(name).verbose_name)
    return text[:1].upper() + text[1:]


def vn_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def add(problems: Problems, field: str, message: str) -> None:
    problems.setdefault(field, []).append(message)


def raise_if_any(problems: Problems) -> None:
    if problems:
        raise ValidationError(problems)


def row_messages(prefix: str, problems: Problems) -> list[str]:
    """Bulk path: "Dòng 3 (mã hộ H-1): Số định danh cá nhân ..." for each problem of a row."""
    return [row_message(prefix, message) for messages in problems.values() for message in messages]


def row_message(prefix: str, message: str) -> str:
    """One problem of a bulk row: "Dòng 3 (mã hộ H-1): <message>"."""
    return _("%(row)s: %(problem)s") % {"row": prefix, "problem": message}


def clean_text(value: Any) -> str:
    """NFC and single spaces: names typed on different keyboards compare equal."""
    return " ".join(unicodedata.normalize("NFC", str(value or "")).split())


def unknown_fields(given: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
    extra = sorted(set(given) - set(allowed))
    if extra:
        raise TypeError(f"{where}: unknown field(s) {', '.join(extra)}")


@cache
def choice_values(choices: Any) -> frozenset[Any]:
    """The stored values of a Choices class, as a set (Django rebuilds `.values` as a list on every access)."""
    return frozenset(choices.values)


def is_choice(choices: Any, value: Any) -> bool:
    try:
        return value in choice_values(choices)
    except TypeError:  # an unhashable value is no choice
        return False


def _check_choice(problems: Problems, model: type[Any], name: str, value: Any, choices: Any) -> None:
    if value is not None and not is_choice(choices, value):
        allowed = ", ".join(choices.values)
        add(
            problems,
            name,
            _("%(field)s: giá trị «%(value)s» không hợp lệ (chọn một trong: %(allowed)s).")
            % {"field": label(model, name), "value": value, "allowed": allowed},
        )


def _check_bool(problems: Problems, model: type[Any], name: str, value: Any, *, nullable: bool) -> None:
    if value is None and nullable:
        return
    if not isinstance(value, bool):
        add(
            problems,
            name,
            _("%(field)s: phải là có hoặc không (đã nhập «%(value)s»).")
            % {"field": label(model, name), "value": value},
        )


def _check_date(problems: Problems, model: type[Any], name: str, value: Any, *, today: date) -> bool:
    if value is None:
        return False
    if not isinstance(value, date):
        add(
            problems,
            name,
            _("%(field)s: «%(value)s» không phải là ngày.") % {"field": label(model, name), "value": value},
        )
        return False
    if value > today:
        add(
            problems,
            name,
            _("%(field)s %(date)s ở tương lai (hôm nay là %(today)s).")
            % {"field": label(model, name), "date": vn_date(value), "today": vn_date(today)},
        )
        return False
    return True


def clean_person(
    values: Mapping[str, Any], *, today: date, start_date: date | None
) -> tuple[dict[str, Any], Problems]:
    """Normalise and check person fields (any subset of PERSON_FIELDS)."""
    problems: Problems = {}
    cleaned = dict(values)
    if "full_name" in cleaned:
        cleaned["full_name"] = clean_text(cleaned["full_name"])
        if not cleaned["full_name"]:
            add(problems, "full_name", _("Họ và tên không được để trống."))
        elif len(cleaned["full_name"]) > 120:
            add(problems, "full_name", _("Họ và tên dài quá 120 ký tự."))
    if "sex" in cleaned:
        if cleaned["sex"] is None:
            add(problems, "sex", _("Giới tính không được để trống."))
        else:
            _check_choice(problems, Person, "sex", cleaned["sex"], Sex)
    if "citizen_id" in cleaned:
        citizen_id = cleaned["citizen_id"]
        citizen_id = str(citizen_id).strip() if citizen_id is not None else None
        cleaned["citizen_id"] = citizen_id or None
        if citizen_id and not CITIZEN_ID.match(citizen_id):
            add(
                problems,
                "citizen_id",
                _("Số định danh cá nhân (CCCD) phải gồm đúng 12 chữ số (đã nhập «%(value)s»).")
                % {"value": citizen_id},
            )
    if cleaned.get("ethnicity") is not None and not isinstance(cleaned["ethnicity"], Ethnicity):
        add(
            problems,
            "ethnicity",
            _("Dân tộc: «%(value)s» không phải là một dân tộc trong danh mục.")
            % {"value": cleaned["ethnicity"]},
        )
    _clean_birth_date(cleaned, problems)
    birth_date = cleaned.get("birth_date")
    if _check_date(problems, Person, "birth_date", birth_date, today=today):
        assert isinstance(birth_date, date)
        if start_date is not None and birth_date > start_date:
            add(
                problems,
                "birth_date",
                _("Ngày sinh %(birth)s sau ngày vào hộ %(start)s.")
                % {"birth": vn_date(birth_date), "start": vn_date(start_date)},
            )
    death = cleaned.get("date_of_death")
    if _check_date(problems, Person, "date_of_death", death, today=today):
        assert isinstance(death, date)
        if isinstance(birth_date, date) and death < birth_date:
            add(
                problems,
                "date_of_death",
                _("Ngày mất %(death)s trước ngày sinh %(birth)s.")
                % {"death": vn_date(death), "birth": vn_date(birth_date)},
            )
    for name in _PERSON_BOOLEANS:
        if name in cleaned:
            _check_bool(problems, Person, name, cleaned[name], nullable=False)
    for name in _PERSON_NULLABLE_BOOLEANS:
        if name in cleaned:
            _check_bool(problems, Person, name, cleaned[name], nullable=True)
    for name, choices in _PERSON_CHOICES.items():
        if name in cleaned:
            cleaned[name] = cleaned[name] or None
            _check_choice(problems, Person, name, cleaned[name], choices)
    level = cleaned.get("school_level")
    if cleaned.get("in_education") is False and level is not None and is_choice(SchoolLevel, level):
        add(
            problems,
            "school_level",
            _("Cấp học đang theo học «%(level)s» chỉ ghi cho người đang đi học (đã ghi: không đi học).")
            % {"level": SchoolLevel(level).label},
        )
    return cleaned, problems


def _clean_birth_date(cleaned: dict[str, Any], problems: Problems) -> None:
    """A birth date comes with how much of it is known (a full date when not said): a month and year is stored as
    the 1st of the month, a year alone as 1 January (NĐ 135/2020/NĐ-CP, Điều 3 khoản 3)."""
    if "birth_date" not in cleaned and "birth_date_precision" not in cleaned:
        return
    precision = cleaned.setdefault("birth_date_precision", BirthDatePrecision.DAY) or BirthDatePrecision.DAY
    if not is_choice(BirthDatePrecision, precision):
        _check_choice(problems, Person, "birth_date_precision", precision, BirthDatePrecision)
        return
    cleaned["birth_date_precision"] = str(precision)
    birth = cleaned.get("birth_date")
    if isinstance(birth, date):
        if precision == BirthDatePrecision.MONTH:
            cleaned["birth_date"] = birth.replace(day=1)
        elif precision == BirthDatePrecision.YEAR:
            cleaned["birth_date"] = birth.replace(month=1, day=1)


def check_relationship(problems: Problems, relationship: Any) -> None:
    if not is_choice(Relationship, relationship):
        allowed = ", ".join(Relationship.values)
        add(
            problems,
            "relationship",
            _("Quan hệ với chủ hộ: giá trị «%(value)s» không hợp lệ (chọn một trong: %(allowed)s).")
            % {"value": relationship, "allowed": allowed},
        )


def check_household(
    problems: Problems,
    *,
    commune: Any,
    village: Any,
    area_type: Any,
    on: date,
    today: date,
) -> None:
    """Place and area type of a household on a date (registration or move)."""
    from giamngheo.registry.models import Household

    if not isinstance(commune, AdminUnit) or commune.level != UnitLevel.COMMUNE:
        add(problems, "commune", _("Xã: «%(value)s» không phải là đơn vị cấp xã.") % {"value": commune})
    elif not commune.is_valid_on(on):
        add(
            problems,
            "commune",
            _("Xã: %(commune)s không còn hoặc chưa có hiệu lực vào ngày %(date)s.")
            % {"commune": commune, "date": vn_date(on)},
        )
    elif village is not None:
        if not isinstance(village, Village):
            add(
                problems,
                "village",
                _("Thôn: «%(value)s» không phải là thôn, làng, tổ dân phố.") % {"value": village},
            )
        elif commune.pk not in (village.commune_id, village.legacy_commune_id):
            add(
                problems,
                "village",
                _("Thôn: %(village)s không thuộc %(commune)s.") % {"village": village, "commune": commune},
            )
    if not is_choice(AreaType, area_type):
        _check_choice(problems, Household, "area_type", area_type, AreaType)
    if on > today:
        add(
            problems,
            "registered_on",
            _("Ngày %(date)s ở tương lai (hôm nay là %(today)s).")
            % {"date": vn_date(on), "today": vn_date(today)},
        )


def clean_living_conditions(
    values: Mapping[str, Any], *, recorded_on: Any, today: date
) -> tuple[dict[str, Any], Problems]:
    problems: Problems = {}
    cleaned = dict(values)
    if recorded_on is None:
        add(problems, "recorded_on", _("Ngày ghi nhận không được để trống."))
    else:
        _check_date(problems, LivingConditions, "recorded_on", recorded_on, today=today)
    for name, choices in _LC_CHOICES.items():
        if name in cleaned:
            cleaned[name] = cleaned[name] or None
            _check_choice(problems, LivingConditions, name, cleaned[name], choices)
    for name in LIVING_CONDITIONS_FIELDS:
        if name in cleaned and name not in _LC_CHOICES and name != "floor_area_m2":
            _check_bool(problems, LivingConditions, name, cleaned[name], nullable=True)
    if cleaned.get("floor_area_m2") is not None:
        raw = cleaned["floor_area_m2"]
        try:
            area = Decimal(str(raw)) if not isinstance(raw, bool) else None
        except InvalidOperation:
            area = None
        if area is None or not area.is_finite():
            add(
                problems,
                "floor_area_m2",
                _("Diện tích nhà ở: «%(value)s» không phải là một số.") % {"value": raw},
            )
        elif area < 0:
            add(
                problems,
                "floor_area_m2",
                _("Diện tích nhà ở không được âm (đã nhập %(value)s).") % {"value": raw},
            )
        elif area > _MAX_FLOOR_AREA:
            add(
                problems,
                "floor_area_m2",
                _("Diện tích nhà ở %(value)s m² quá lớn (tối đa %(max)s m²).")
                % {"value": raw, "max": _MAX_FLOOR_AREA},
            )
        else:
            cleaned["floor_area_m2"] = area.quantize(Decimal("0.01"))
    return cleaned, problems


def check_code(problems: Problems, code: str) -> None:
    if not code:
        add(problems, "code", _("Mã hộ không được để trống."))
    elif len(code) > 32:
        add(problems, "code", _("Mã hộ «%(code)s» dài quá 32 ký tự.") % {"code": code})


def citizen_id_taken_message(citizen_id: str) -> str:
    """A citizen ID already recorded for someone else. The message names neither the person nor where they live:
    the person may be outside the area of the officer who typed the number (the household-code message likewise
    names no place)."""
    return _(
        "Số định danh cá nhân %(citizen_id)s đã được ghi cho một nhân khẩu khác trong sổ hộ. Hãy kiểm tra lại số; "
        "nếu đúng là cùng một người, hãy chuyển người đó sang hộ này thay vì thêm mới."
    ) % {"citizen_id": citizen_id}
