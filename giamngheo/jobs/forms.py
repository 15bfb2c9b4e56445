"""Forms of the job pages. They only turn the request into values; the services check rights and content."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from giamngheo.areas.models import AdminUnit
from giamngheo.engine.standard import load_standards
from giamngheo.jobs.selectors import area_choices
from giamngheo.jobs.services import UPLOAD_SUFFIXES
from giamngheo.reviews.models import Review
from giamngheo.reviews.stats import area_label


class WorkbookForm(forms.Form):
    workbook = forms.FileField(
        label=_("Tệp khảo sát (.xlsx hoặc .csv)"),
        error_messages={"required": _("Hãy chọn tệp khảo sát (.xlsx hoặc .csv).")},
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(UPLOAD_SUFFIXES)}),
    )
    standard = forms.ChoiceField(label=_("Chuẩn nghèo"), required=False)

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        standards = sorted(
            load_standards(settings.GIAMNGHEO_STANDARDS_DIR).values(), key=lambda s: s.valid_from
        )
        in_force = [s for s in standards if s.in_force_on(today)]
        default = _("Chuẩn đang có hiệu lực (%(id)s)") % {"id": in_force[-1].id} if in_force else ""
        choices: list[tuple[str, Any]] = [("", default)] if in_force else []
        choices += [(s.id, f"{s.id} — {s.instrument}") for s in standards]
        field = self.fields["standard"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class AreaUnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AdminUnit) -> str:
        return area_label(obj)


class AreaForm(forms.Form):
    area = AreaUnitField(
        label=_("Địa bàn"),
        queryset=AdminUnit.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Hãy chọn địa bàn."),
            "invalid_choice": _("Không tìm thấy đơn vị hành chính."),
        },
    )
    year = forms.TypedChoiceField(label=_("Năm rà soát"), coerce=int, required=False, empty_value=None)
    rederive = forms.BooleanField(
        label=_("Tính lại các chỉ số thiếu hụt từ sổ hộ (chậm hơn; dùng khi sổ hộ đã được sửa)"),
        required=False,
    )

    def __init__(self, *args: Any, user: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        assert isinstance(area, forms.ModelChoiceField)
        area.queryset = area_choices(user, today=today)
        years = sorted(set(Review.objects.values_list("year", flat=True)), reverse=True)
        year = self.fields["year"]
        assert isinstance(year, forms.ChoiceField)
        year.choices = [("", _("Mọi năm")), *((str(y), str(y)) for y in years)]
