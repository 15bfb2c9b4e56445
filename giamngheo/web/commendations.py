"""Commendations of an area for a year (`commendations.selectors`), with the form that records one and the
withdrawal of one (`commendations.services`).

`/khen-thuong/?area=<id>&nam=<year>`: the account's own area and the current year by default; the counts roll up
the units within the area. A unit or a commendation outside the account's area is the same 404 as a missing one;
province staff and commune officers see the forms, a viewer reads only (a write is 403).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from giamngheo.accounts.access import households_for
from giamngheo.accounts.scope import scope_for
from giamngheo.commendations.models import Movement, RecipientType
from giamngheo.commendations.selectors import commendation_for, commendations_summary
from giamngheo.commendations.services import (
    WRITERS,
    CommendationInput,
    StaleCommendationError,
    commendation_record,
    commendation_withdraw,
)
from giamngheo.lib.params import positive_int
from giamngheo.reviews.stats import area_label
from giamngheo.web.forms import apply_service_errors, date_field
from giamngheo.web.goals import chosen_area, chosen_year


class CommendationForm(forms.Form):
    movement = forms.ModelChoiceField(
        label=gettext_lazy("Phong trào thi đua"), queryset=Movement.objects.none(), required=False
    )
    decision_number = forms.CharField(label=gettext_lazy("Số quyết định khen thưởng"), max_length=60)
    decision_date = date_field(gettext_lazy("Ngày quyết định"))
    authority = forms.CharField(label=gettext_lazy("Cơ quan, người quyết định"), max_length=150)
    award = forms.CharField(label=gettext_lazy("Hình thức khen thưởng"), max_length=100, required=False)
    recipient_type = forms.ChoiceField(
        label=gettext_lazy("Đối tượng được khen"), choices=RecipientType.choices
    )
    recipient_name = forms.CharField(label=gettext_lazy("Tên tập thể, cá nhân, hộ"), max_length=200)
    household_code = forms.CharField(
        label=gettext_lazy("Mã hộ trong sổ hộ (khen hộ gia đình, nếu có)"), max_length=32, required=False
    )
    achievement = forms.CharField(label=gettext_lazy("Thành tích"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["movement"].queryset = Movement.objects.filter(active=True)  # type: ignore[attr-defined]


@login_required
def commendations_page(request: HttpRequest) -> HttpResponse:
    area = chosen_area(request)
    year = chosen_year(request)
    may_write = scope_for(request.user).role in WRITERS
    form = CommendationForm(request.POST or None)
    if request.method == "POST" and area is not None and form.is_valid():
        data = form.cleaned_data
        household = None
        if data["household_code"].strip():
            household = households_for(request.user).filter(code=data["household_code"].strip()).first()
            if household is None:
                form.add_error("household_code", _("Không tìm thấy hộ có mã này trong địa bàn của bạn."))
        if not form.errors:
            try:
                commendation_record(
                    data=CommendationInput(
                        area=area, year=year, decision_number=data["decision_number"],
                        decision_date=data["decision_date"], authority=data["authority"],
                        recipient_type=data["recipient_type"], recipient_name=data["recipient_name"],
                        achievement=data["achievement"], movement=data["movement"], award=data["award"],
                        household=household,
                    ),
                    actor=request.user,
                )  # fmt: skip
            except ValidationError as error:
                apply_service_errors(form, error, {"household": "household_code"})
            else:
                messages.success(
                    request, _("Đã ghi khen thưởng cho %(name)s.") % {"name": data["recipient_name"]}
                )
                return redirect(f"{reverse('web:commendations')}?area={area.pk}&nam={year}")
    summary = commendations_summary(area, year) if area is not None else None
    return render(
        request,
        "web/commendations.html",
        {
            "area": area, "area_label": area_label(area) if area is not None else "", "year": year,
            "summary": summary, "form": form, "may_write": may_write,
        },
    )  # fmt: skip


@login_required
@require_POST
def commendation_withdrawal(request: HttpRequest, pk: int) -> HttpResponse:
    row = commendation_for(request.user, pk)
    try:
        commendation_withdraw(commendation=row, reason=request.POST.get("reason", ""), actor=request.user)
    except StaleCommendationError as error:
        messages.error(request, error.messages[0])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã thu hồi khen thưởng của %(name)s.") % {"name": row.recipient_name})
    area = positive_int(request.POST.get("area")) or row.area_id
    return redirect(f"{reverse('web:commendations')}?area={area}&nam={row.year}")
