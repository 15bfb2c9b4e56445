"""Forms of the household workspace: they only turn raw input into domain types (dates, integers of đồng,
enums, yes/no/unknown, records chosen from lists limited to the user's area).

The registry and review services validate and save; `apply_service_errors` puts their Vietnamese messages back
next to the field they name. Every form that edits an existing household carries the household's `version` and
the id of the last history entry the user saw (`seen`), so that a save made from a stale page is refused
(`giamngheo.registry.concurrency`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giamngheo.areas.models import AdminUnit, Village
from giamngheo.areas.selectors import villages_of
from giamngheo.engine.standard import load_catalogue
from giamngheo.lib.params import positive_int
from giamngheo.registry.ethnicities import DEFAULT_CODE_LIST
from giamngheo.registry.models import (
    AreaType,
    BirthDatePrecision,
    EducationLevel,
    Ethnicity,
    LatrineType,
    Material,
    MembershipEnd,
    Person,
    Relationship,
    SchoolLevel,
    Sex,
    VocationalLevel,
    WaterSource,
    WorkStatus,
)
from giamngheo.registry.validation import HOUSEHOLD_FLAGS, LIVING_CONDITIONS_FIELDS, PERSON_FIELDS
from giamngheo.reviews.explanations import indicator_name
from giamngheo.reviews.models import Cause, IncomeMethod, Review
from giamngheo.reviews.stats import area_label

YES, NO = (
    "True",
    "False",
)  # how a yes/no/unknown select sends its value (str(True) selects the initial option)


def names(text: str) -> tuple[str, ...]:
    """Field names written as one space-separated string."""
    return tuple(text.split())


# Fields -----------------------------------------------------------------------------------------------------


def date_field(label: Any, *, required: bool = True) -> forms.DateField:
    """A date written day/month/year (02/12/2026) in every language, ISO 2026-12-02 read too: the formats of the
    active language (`giamngheo.formats`). A text box rather than type="date", whose picker shows the date in the
    order of the computer's locale (month first on an English laptop)."""
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"placeholder": gettext_lazy("ngày/tháng/năm"), "autocomplete": "off"}),
    )


class BirthDateField(forms.CharField):
    """A birth date as far as it is known: "05/03/1965", "03/1965" or "1965" (ISO "1965-03-05" read too). Cleans to
    (date, precision): a month and year is the 1st of the month, a year alone 1 January (NĐ 135/2020/NĐ-CP,
    Điều 3 khoản 3)."""

    def __init__(self, label: Any, **kwargs: Any) -> None:
        super().__init__(
            label=label,
            required=False,
            widget=forms.TextInput(
                attrs={
                    "placeholder": gettext_lazy("ngày/tháng/năm, tháng/năm hoặc năm"),
                    "autocomplete": "off",
                }
            ),
            **kwargs,
        )

    def to_python(self, value: Any) -> tuple[date | None, str]:  # type: ignore[override]  # a (date, precision)
        text = (super().to_python(value) or "").strip()
        if not text:
            return None, BirthDatePrecision.DAY
        patterns = (
            (r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", lambda d, m, y: (y, m, d), BirthDatePrecision.DAY),
            (r"(\d{4})-(\d{1,2})-(\d{1,2})", lambda y, m, d: (y, m, d), BirthDatePrecision.DAY),
            (r"(\d{1,2})[/.-](\d{4})", lambda m, y: (y, m, "1"), BirthDatePrecision.MONTH),
            (r"(\d{4})", lambda y: (y, "1", "1"), BirthDatePrecision.YEAR),
        )
        for pattern, order, precision in patterns:
            match = re.fullmatch(pattern, text, flags=re.ASCII)
            if match:
                year, month, day = (int(part) for part in order(*match.groups()))
                try:
                    return date(year, month, day), precision
                except ValueError:
                    break
        raise ValidationError(
            _("%(field)s: «%(value)s» không phải là ngày sinh (ghi ngày/tháng/năm, tháng/năm hoặc năm).")
            % {"field": self.label, "value": text},
            code="invalid",
        )

    def has_changed(self, initial: Any, data: Any) -> bool:
        """Changed when it reads as another date or precision ("05/03/1965" and "1965-03-05" are the same)."""
        try:
            return self.to_python(data) != self.to_python(initial)
        except ValidationError:
            return True


def yes_no_unknown(label: Any) -> forms.TypedChoiceField:
    """A fact that may be unrecorded: None (chưa rõ), True (có) or False (không)."""
    return forms.TypedChoiceField(
        label=label,
        required=False,
        choices=[("", gettext_lazy("chưa rõ")), (YES, gettext_lazy("có")), (NO, gettext_lazy("không"))],
        coerce=lambda value: value is True or value == YES,  # initial values are booleans, input is text
        empty_value=None,
    )


def optional_choice(label: Any, choices: Iterable[tuple[str, Any]]) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, required=False, choices=[("", "—"), *choices], coerce=str, empty_value=None
    )


def yes_no(label: Any) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False)


class MoneyField(forms.CharField):
    """An amount of đồng as an integer: "1.350.000", "1 350 000", "1350000đ" are the same amount. Separators
    must group thousands: "1350000.50" or "1.35" is refused rather than read as another amount."""

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]  # a number, not text
        text = super().to_python(value)
        if not text:
            return None
        amount = re.sub(r"\s*(đồng|đ)$", "", text.strip().lower()).replace(" ", "")
        digits = amount
        if re.fullmatch(r"-?\d{1,3}([.,]\d{3})+", amount):
            digits = re.sub(r"[.,]", "", amount)
        if not re.fullmatch(r"-?\d{1,15}", digits):
            raise ValidationError(
                _("%(field)s: «%(value)s» không phải là số tiền (nhập số đồng, ví dụ 1.350.000).")
                % {"field": self.label, "value": text},
                code="invalid",
            )
        return int(digits)


class AreaM2Field(forms.CharField):
    """A floor area in m² as a Decimal; a decimal comma ("20,5") is read like a point."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # a number, not text
        text = super().to_python(value)
        if not text:
            return None
        try:
            number = Decimal(text.strip().replace(",", "."))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValidationError(
                _("%(field)s: «%(value)s» không phải là một số.") % {"field": self.label, "value": text},
                code="invalid",
            )
        return number


def _error_messages(field: forms.Field) -> dict[str, str]:
    """Messages that name the field: the user sees them next to it, and in a list of errors too."""
    values = {"field": field.label}
    messages = {
        "required": _("%(field)s: không được để trống.") % values,
        "invalid_choice": _("%(field)s: lựa chọn không hợp lệ.") % values,
        "invalid_list": _("%(field)s: lựa chọn không hợp lệ.") % values,
    }
    if isinstance(field, forms.DateField):
        messages["invalid"] = _("%(field)s: không phải là ngày hợp lệ (ngày/tháng/năm).") % values
    elif isinstance(field, forms.IntegerField):
        messages["invalid"] = _("%(field)s: phải là một số nguyên.") % values
    return messages


class WorkspaceForm(forms.Form):
    """Base form: Vietnamese field errors that name the field; `fieldsets` groups fields for the template."""

    fieldsets: tuple[tuple[Any, tuple[str, ...]], ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages.update(_error_messages(field))

    @property
    def has_field_errors(self) -> bool:
        """Some visible field has an error (its message is shown next to it)."""
        return any(self[name].errors for name, field in self.fields.items() if not field.widget.is_hidden)

    def grouped(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """(title, bound fields) per fieldset; fields in no fieldset come last, untitled."""
        placed: set[str] = set()
        groups: list[tuple[Any, list[forms.BoundField]]] = []
        for title, names in self.fieldsets:
            fields = [self[name] for name in names if name in self.fields]
            placed.update(names)
            if fields:
                groups.append((title, fields))
        rest = [
            self[name] for name, f in self.fields.items() if name not in placed and not f.widget.is_hidden
        ]
        if rest:
            groups.append(("", rest))
        return groups


def apply_service_errors(
    form: forms.Form, error: ValidationError, field_map: Mapping[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form: each message next to the field it names (through
    `field_map` when the form names it differently), the others at the top of the form."""
    field_map = field_map or {}
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            target = field_map.get(name, name)
            form.add_error(target if target in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class StampedForm(WorkspaceForm):
    """Carries what the user saw when the form was opened: the household's version, its last history entry."""

    version = forms.IntegerField(widget=forms.HiddenInput, label=gettext_lazy("Phiên bản hộ khi mở biểu mẫu"))
    seen = forms.IntegerField(widget=forms.HiddenInput, label=gettext_lazy("Lịch sử đã xem khi mở biểu mẫu"))


# Querysets limited to the user's area -----------------------------------------------------------------------


def limit_choices(field: forms.Field, queryset: QuerySet[Any]) -> None:
    """Restrict a record-choosing field to `queryset` (what is offered is also all that is accepted)."""
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def ethnicities(current: Ethnicity | None = None) -> QuerySet[Ethnicity]:
    condition = Q(code_list=DEFAULT_CODE_LIST)
    if current is not None:
        condition |= Q(pk=current.pk)
    return Ethnicity.objects.filter(condition).order_by("code_list", "code")


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        """A pre-2025 commune shares its code with its successor: "mã cũ"/"mã mới" tell them apart."""
        return area_label(obj)


# Households -------------------------------------------------------------------------------------------------


class _PlaceMixin(forms.Form):
    """Commune (limited to `communes`) and a village of the chosen commune."""

    commune = CommuneChoiceField(queryset=AdminUnit.objects.none(), label=gettext_lazy("Xã"))
    village = forms.ModelChoiceField(
        queryset=Village.objects.none(), label=gettext_lazy("Thôn, làng, tổ dân phố"), required=False
    )

    def limit_place(self, communes: QuerySet[AdminUnit], default: AdminUnit | None) -> None:
        limit_choices(self.fields["commune"], communes)
        if default is not None:
            self.initial.setdefault("commune", default)
        chosen: AdminUnit | None = default
        raw = self.data.get(self.add_prefix("commune")) if self.is_bound else None
        if raw:
            chosen_id = positive_int(str(raw))
            chosen = communes.filter(pk=chosen_id).first() if chosen_id is not None else None
        limit_choices(self.fields["village"], villages_of(chosen))


_HOUSEHOLD_LABELS = {
    "code": gettext_lazy("Mã hộ"),
    "area_type": gettext_lazy("Khu vực"),
    "address": gettext_lazy("Địa chỉ"),
    "is_agri": gettext_lazy("Hộ làm nông, lâm, ngư, diêm nghiệp"),
    "has_meritorious_member": gettext_lazy("Có thành viên là người có công"),
    "no_working_capacity": gettext_lazy("Hộ không có khả năng lao động"),
}


class HouseholdCreateForm(_PlaceMixin, WorkspaceForm):
    """A new household and its head (the first member)."""

    code = forms.CharField(label=_HOUSEHOLD_LABELS["code"])
    area_type = forms.ChoiceField(label=_HOUSEHOLD_LABELS["area_type"], choices=AreaType.choices)
    address = forms.CharField(label=_HOUSEHOLD_LABELS["address"], required=False)
    registered_on = date_field(gettext_lazy("Ngày đăng ký"))
    is_agri = yes_no(_HOUSEHOLD_LABELS["is_agri"])
    has_meritorious_member = yes_no(_HOUSEHOLD_LABELS["has_meritorious_member"])
    no_working_capacity = yes_no(_HOUSEHOLD_LABELS["no_working_capacity"])
    head_full_name = forms.CharField(label=gettext_lazy("Họ và tên chủ hộ"))
    head_sex = forms.ChoiceField(label=gettext_lazy("Giới tính chủ hộ"), choices=Sex.choices)
    head_birth_date = BirthDateField(gettext_lazy("Ngày sinh chủ hộ"))
    head_citizen_id = forms.CharField(
        label=gettext_lazy("Số định danh cá nhân (CCCD) của chủ hộ"), required=False, empty_value=None
    )
    head_ethnicity = forms.ModelChoiceField(
        queryset=Ethnicity.objects.none(), label=gettext_lazy("Dân tộc của chủ hộ"), required=False
    )

    fieldsets = (
        (
            gettext_lazy("Hộ gia đình"),
            ("code", "commune", "village", "area_type", "address", "registered_on"),
        ),
        (gettext_lazy("Đặc điểm"), ("is_agri", "has_meritorious_member", "no_working_capacity")),
        (
            gettext_lazy("Chủ hộ"),
            ("head_full_name", "head_sex", "head_birth_date", "head_citizen_id", "head_ethnicity"),
        ),
    )
    # Service field name -> form field (the head's facts are named like Person fields by member_add).
    SERVICE_FIELDS = {
        "full_name": "head_full_name",
        "sex": "head_sex",
        "birth_date": "head_birth_date",
        "birth_date_precision": "head_birth_date",
        "citizen_id": "head_citizen_id",
        "ethnicity": "head_ethnicity",
        "start_date": "registered_on",
    }

    def __init__(self, *args: Any, communes: QuerySet[AdminUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_place(communes, communes.first() if communes.count() == 1 else None)
        limit_choices(self.fields["head_ethnicity"], ethnicities())

    def household_values(self) -> dict[str, Any]:
        fields = names("code commune village area_type address registered_on")
        return {name: self.cleaned_data[name] for name in (*fields, *HOUSEHOLD_FLAGS)}

    def head_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        birth_date, precision = data["head_birth_date"]
        return {
            "full_name": data["head_full_name"],
            "sex": data["head_sex"],
            "birth_date": birth_date,
            "birth_date_precision": precision,
            "citizen_id": data["head_citizen_id"],
            "ethnicity": data["head_ethnicity"],
        }


class HouseholdEditForm(_PlaceMixin, StampedForm):
    """Household fields `household_update` may change; `on` dates a move to another commune or village."""

    code = forms.CharField(label=_HOUSEHOLD_LABELS["code"])
    area_type = forms.ChoiceField(label=_HOUSEHOLD_LABELS["area_type"], choices=AreaType.choices)
    address = forms.CharField(label=_HOUSEHOLD_LABELS["address"], required=False)
    head = forms.ModelChoiceField(
        queryset=Person.objects.none(), label=gettext_lazy("Chủ hộ"), required=False, empty_label="—"
    )
    is_agri = yes_no(_HOUSEHOLD_LABELS["is_agri"])
    has_meritorious_member = yes_no(_HOUSEHOLD_LABELS["has_meritorious_member"])
    no_working_capacity = yes_no(_HOUSEHOLD_LABELS["no_working_capacity"])
    on = date_field(gettext_lazy("Ngày có hiệu lực của thay đổi"))

    EDITABLE = names(
        "code commune village area_type address head is_agri has_meritorious_member no_working_capacity"
    )
    fieldsets = (
        (gettext_lazy("Hộ gia đình"), ("code", "commune", "village", "area_type", "address", "head")),
        (gettext_lazy("Đặc điểm"), ("is_agri", "has_meritorious_member", "no_working_capacity")),
        ("", ("on",)),
    )

    def __init__(
        self,
        *args: Any,
        communes: QuerySet[AdminUnit],
        current_commune: AdminUnit,
        members: QuerySet[Person],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.limit_place(communes, current_commune)
        limit_choices(self.fields["head"], members)

    def changes(self) -> dict[str, Any]:
        """The fields the user changed (only those are sent to the service)."""
        return {name: self.cleaned_data[name] for name in self.EDITABLE if name in self.changed_data}


# Members ----------------------------------------------------------------------------------------------------


class PersonFieldsForm(WorkspaceForm):
    """A person's recorded attributes (`registry.validation.PERSON_FIELDS` without the date of death, which is
    recorded when a member leaves because they died)."""

    full_name = forms.CharField(label=gettext_lazy("Họ và tên"))
    sex = forms.ChoiceField(label=gettext_lazy("Giới tính"), choices=Sex.choices)
    birth_date = BirthDateField(gettext_lazy("Ngày sinh"))
    citizen_id = forms.CharField(
        label=gettext_lazy("Số định danh cá nhân (CCCD)"), required=False, empty_value=None
    )
    ethnicity = forms.ModelChoiceField(
        queryset=Ethnicity.objects.none(), label=gettext_lazy("Dân tộc"), required=False
    )
    has_health_insurance = yes_no_unknown(gettext_lazy("Có bảo hiểm y tế"))
    malnourished = yes_no_unknown(gettext_lazy("Suy dinh dưỡng (trẻ em)"))
    disabled = yes_no_unknown(gettext_lazy("Khuyết tật"))
    receives_social_allowance = yes_no_unknown(gettext_lazy("Hưởng trợ cấp xã hội hằng tháng"))
    in_education = yes_no_unknown(gettext_lazy("Đang đi học / đào tạo"))
    school_level = optional_choice(gettext_lazy("Cấp học đang theo học"), SchoolLevel.choices)
    education_level = optional_choice(
        gettext_lazy("Trình độ học vấn (đã tốt nghiệp)"), EducationLevel.choices
    )
    vocational_level = optional_choice(gettext_lazy("Trình độ giáo dục nghề nghiệp"), VocationalLevel.choices)
    work_status = optional_choice(gettext_lazy("Việc làm"), WorkStatus.choices)
    able_to_work = yes_no_unknown(gettext_lazy("Có khả năng lao động"))
    has_labour_contract = yes_no_unknown(gettext_lazy("Có hợp đồng lao động"))
    on_the_job_training_certified = yes_no_unknown(
        gettext_lazy("Được doanh nghiệp tuyển dụng và chứng nhận đào tạo nghề tại chỗ")
    )
    has_meritorious_service = yes_no(gettext_lazy("Người có công với cách mạng"))

    # registry.validation.PERSON_FIELDS but the date of death.
    PERSON_NAMES: tuple[str, ...] = tuple(name for name in PERSON_FIELDS if name != "date_of_death")
    PERSON_FIELDSETS = (
        (gettext_lazy("Nhân thân"), ("full_name", "sex", "birth_date", "citizen_id", "ethnicity")),
        (
            gettext_lazy("Y tế, giáo dục"),
            names("has_health_insurance malnourished disabled receives_social_allowance")
            + names("in_education school_level education_level vocational_level"),
        ),
        (
            gettext_lazy("Việc làm"),
            names("work_status able_to_work has_labour_contract on_the_job_training_certified")
            + names("has_meritorious_service"),
        ),
    )

    def __init__(self, *args: Any, ethnicity: Ethnicity | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["ethnicity"], ethnicities(ethnicity))

    def person_values(self, *, only_changed: bool = False) -> dict[str, Any]:
        values = {
            name: self.cleaned_data[name]
            for name in self.PERSON_NAMES
            if name in self.cleaned_data and (not only_changed or name in self.changed_data)
        }
        if "birth_date" in values:
            values["birth_date"], values["birth_date_precision"] = values["birth_date"]
        return values


def person_initial(person: Person) -> dict[str, Any]:
    initial = {name: getattr(person, name) for name in PersonFieldsForm.PERSON_NAMES}
    initial["birth_date"] = person.birth_date_text
    return initial


class MemberAddForm(PersonFieldsForm, StampedForm):
    relationship = forms.ChoiceField(label=gettext_lazy("Quan hệ với chủ hộ"), choices=Relationship.choices)
    start_date = date_field(gettext_lazy("Ngày vào hộ"))

    fieldsets = (
        (gettext_lazy("Vào hộ"), ("relationship", "start_date")),
        *PersonFieldsForm.PERSON_FIELDSETS,
    )


class MemberEditForm(PersonFieldsForm, StampedForm):
    relationship = forms.ChoiceField(label=gettext_lazy("Quan hệ với chủ hộ"), choices=Relationship.choices)

    fieldsets = (
        *PersonFieldsForm.PERSON_FIELDSETS[:1],
        ("", ("relationship",)),
        *PersonFieldsForm.PERSON_FIELDSETS[1:],
    )

    def changes(self) -> dict[str, Any]:
        """The person's fields and relationship the user changed (only those are sent to the service)."""
        values = self.person_values(only_changed=True)
        if "relationship" in self.changed_data and "relationship" in self.cleaned_data:
            values["relationship"] = self.cleaned_data["relationship"]
        return values


class MemberLeaveForm(StampedForm):
    end_date = date_field(gettext_lazy("Ngày rời hộ"))
    end_reason = forms.ChoiceField(label=gettext_lazy("Lý do rời hộ"), choices=MembershipEnd.choices)

    fieldsets = (("", ("end_date", "end_reason")),)


# Living conditions ------------------------------------------------------------------------------------------


class LivingConditionsForm(StampedForm):
    recorded_on = date_field(gettext_lazy("Ngày ghi nhận"))
    wall_material = optional_choice(gettext_lazy("Tường"), Material.choices)
    pillar_material = optional_choice(gettext_lazy("Cột"), Material.choices)
    roof_material = optional_choice(gettext_lazy("Mái"), Material.choices)
    floor_area_m2 = AreaM2Field(label=gettext_lazy("Diện tích nhà ở (m²)"), required=False)
    water_source = optional_choice(gettext_lazy("Nguồn nước sinh hoạt"), WaterSource.choices)
    latrine_type = optional_choice(gettext_lazy("Nhà tiêu"), LatrineType.choices)
    uses_internet = yes_no_unknown(gettext_lazy("Sử dụng internet"))
    has_phone = yes_no_unknown(gettext_lazy("Có điện thoại"))
    has_smartphone = yes_no_unknown(gettext_lazy("Có điện thoại thông minh"))
    has_tv = yes_no_unknown(gettext_lazy("Có ti vi"))
    has_radio = yes_no_unknown(gettext_lazy("Có radio"))
    has_computer = yes_no_unknown(gettext_lazy("Có máy tính"))
    hears_loudspeaker = yes_no_unknown(gettext_lazy("Nghe được loa truyền thanh"))
    waste_collected = yes_no_unknown(gettext_lazy("Rác thải được thu gom"))

    VALUES = LIVING_CONDITIONS_FIELDS
    fieldsets = (
        ("", ("recorded_on",)),
        (gettext_lazy("Nhà ở"), ("wall_material", "pillar_material", "roof_material", "floor_area_m2")),
        (gettext_lazy("Nước và vệ sinh"), ("water_source", "latrine_type", "waste_collected")),
        (
            gettext_lazy("Thông tin"),
            names("uses_internet has_phone has_smartphone has_tv has_radio has_computer hears_loudspeaker"),
        ),
    )

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.VALUES if name in self.cleaned_data}


# Assessments ------------------------------------------------------------------------------------------------


class ReviewChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.standard_id})"


class AssessmentForm(StampedForm):
    """One household's survey result in a review; one flag field per indicator (`entered_CODE`)."""

    review = ReviewChoiceField(queryset=Review.objects.none(), label=gettext_lazy("Đợt rà soát"))
    assessed_on = date_field(gettext_lazy("Ngày rà soát"))
    income_per_capita = MoneyField(label=gettext_lazy("Thu nhập bình quân đầu người/tháng (đồng)"))
    income_method = forms.ChoiceField(
        label=gettext_lazy("Cách xác định thu nhập"),
        choices=IncomeMethod.choices,
        initial=IncomeMethod.ESTIMATED,
    )
    b1_score = forms.IntegerField(label=gettext_lazy("Điểm phiếu B1"), required=False)
    causes = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Nguyên nhân nghèo"),
        choices=Cause.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reviewer_name = forms.CharField(label=gettext_lazy("Người rà soát"), required=False)

    def __init__(
        self, *args: Any, reviews: QuerySet[Review], indicator_codes: Iterable[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["review"], reviews)
        catalogue = load_catalogue()
        self.indicator_names: list[str] = []
        for code in indicator_codes:
            name = f"entered_{code}"
            self.fields[name] = yes_no_unknown(indicator_name(code, catalogue))
            self.fields[name].error_messages.update(_error_messages(self.fields[name]))
            self.indicator_names.append(name)
        self.fieldsets = (
            ("", ("review", "assessed_on", "reviewer_name")),
            (gettext_lazy("Thu nhập"), ("income_per_capita", "income_method", "b1_score")),
            (
                gettext_lazy("Chỉ số thiếu hụt ghi trên phiếu (dùng khi dữ liệu hộ chưa có)"),
                tuple(self.indicator_names),
            ),
            ("", ("causes",)),
        )

    def entered(self) -> dict[str, bool]:
        """The flags the reviewer entered (indicators left "chưa rõ" are not entered)."""
        return {
            name.removeprefix("entered_"): value
            for name in self.indicator_names
            if (value := self.cleaned_data.get(name)) is not None
        }


class CorrectionForm(StampedForm):
    """A correction of an assessment of a closed round: the corrected survey answers and why."""

    income_per_capita = MoneyField(label=gettext_lazy("Thu nhập bình quân đầu người/tháng (đồng)"))
    income_method = forms.ChoiceField(
        label=gettext_lazy("Cách xác định thu nhập"), choices=IncomeMethod.choices
    )
    b1_score = forms.IntegerField(label=gettext_lazy("Điểm phiếu B1"), required=False)
    causes = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Nguyên nhân nghèo"),
        choices=Cause.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=gettext_lazy("Lý do đính chính"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Ví dụ: nhập sai thu nhập; số liệu thành viên đã được sửa theo giấy tờ."),
    )

    def __init__(self, *args: Any, indicator_codes: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        catalogue = load_catalogue()
        self.indicator_names: list[str] = []
        for code in indicator_codes:
            name = f"entered_{code}"
            self.fields[name] = yes_no_unknown(indicator_name(code, catalogue))
            self.fields[name].error_messages.update(_error_messages(self.fields[name]))
            self.indicator_names.append(name)
        self.fieldsets = (
            ("", ("reason",)),
            (gettext_lazy("Thu nhập"), ("income_per_capita", "income_method", "b1_score")),
            (
                gettext_lazy("Chỉ số thiếu hụt ghi trên phiếu (dùng khi dữ liệu hộ chưa có)"),
                tuple(self.indicator_names),
            ),
            ("", ("causes",)),
        )

    def entered(self) -> dict[str, bool]:
        return {
            name.removeprefix("entered_"): value
            for name in self.indicator_names
            if (value := self.cleaned_data.get(name)) is not None
        }
