"""Members joining, changing and leaving, and living-conditions records, with their live previews."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from giamngheo.registry import services
from giamngheo.registry.models import Household, Membership, Person
from giamngheo.web.edit.classification import FactChanges, living_record_values
from giamngheo.web.edit.common import (
    current_membership,
    detail_url,
    editable,
    household_form_page,
    local_today,
    preview_changes,
    run_service,
    seen_by,
    stamp,
)
from giamngheo.web.forms import (
    LivingConditionsForm,
    MemberAddForm,
    MemberEditForm,
    MemberLeaveForm,
    person_initial,
)

# Members ----------------------------------------------------------------------------------------------------


def _member_add_form(household: Household, data: Any = None) -> MemberAddForm:
    initial = {"start_date": local_today(), "relationship": "child", "sex": "nam", **stamp(household)}
    return MemberAddForm(data, initial=initial)


def _added(form: MemberAddForm) -> FactChanges:
    values = {"full_name": "", "sex": "nam", **form.person_values()}
    start = form.cleaned_data.get("start_date") or local_today()
    return FactChanges(new_persons=[(Person(**values), start)])


@login_required
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    household = editable(request, pk)
    form = _member_add_form(household, request.POST or None)
    if request.method == "POST" and form.is_valid():

        def save() -> None:
            services.member_add(
                household=household,
                actor=request.user,
                seen=seen_by(form),
                relationship=form.cleaned_data["relationship"],
                start_date=form.cleaned_data["start_date"],
                **form.person_values(),
            )

        if run_service(form, save):
            messages.success(
                request,
                _("Đã thêm «%(name)s» vào hộ %(code)s.")
                % {"name": form.cleaned_data["full_name"], "code": household.code},
            )
            return redirect(detail_url(household, "thanh-vien"))
    return household_form_page(
        request,
        household,
        form,
        title=_("Thêm thành viên vào hộ %(code)s") % {"code": household.code},
        url_name="web:member-add",
        url_args=[household.pk],
        changes=lambda: _added(form),
    )


@login_required
@require_POST
def member_add_preview(request: HttpRequest, pk: int) -> HttpResponse:
    household = editable(request, pk)
    form = _member_add_form(household, request.POST)
    form.is_valid()
    return preview_changes(request, household, _added(form))


def _member_form(household: Household, membership: Membership, data: Any = None) -> MemberEditForm:
    person = membership.person
    initial = {**person_initial(person), "relationship": membership.relationship, **stamp(household)}
    return MemberEditForm(data, initial=initial, ethnicity=person.ethnicity)


def _edited(form: MemberEditForm, membership: Membership) -> FactChanges:
    return FactChanges(persons={membership.person_id: form.person_values()})


@login_required
def member_edit(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    household = editable(request, pk)
    membership = current_membership(household, person_pk)
    person = membership.person
    form = _member_form(household, membership, request.POST or None)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not changes:
            messages.info(request, _("Không có thay đổi nào để lưu."))
            return redirect(detail_url(household, "thanh-vien"))

        def save() -> None:
            services.member_update(
                person=person, actor=request.user, on=local_today(), seen=seen_by(form), **changes
            )

        if run_service(form, save):
            messages.success(request, _("Đã lưu thông tin «%(name)s».") % {"name": person.full_name})
            return redirect(detail_url(household, "thanh-vien"))
    return household_form_page(
        request,
        household,
        form,
        title=_("Sửa thông tin «%(name)s» (hộ %(code)s)")
        % {"name": person.full_name, "code": household.code},
        url_name="web:member-edit",
        url_args=[household.pk, person.pk],
        changes=lambda: _edited(form, membership),
    )


@login_required
@require_POST
def member_edit_preview(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    household = editable(request, pk)
    membership = current_membership(household, person_pk)
    form = _member_form(household, membership, request.POST)
    form.is_valid()
    return preview_changes(request, household, _edited(form, membership))


def _leave_form(household: Household, data: Any = None) -> MemberLeaveForm:
    return MemberLeaveForm(
        data, initial={"end_date": local_today(), "end_reason": "moved_out", **stamp(household)}
    )


def _leaving(form: MemberLeaveForm, membership: Membership) -> FactChanges:
    return FactChanges(leaving={membership.person_id: form.cleaned_data.get("end_date") or local_today()})


@login_required
def member_leave(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    household = editable(request, pk)
    membership = current_membership(household, person_pk)
    person = membership.person
    form = _leave_form(household, request.POST or None)
    if request.method == "POST" and form.is_valid():

        def save() -> None:
            services.member_leave(
                membership=membership,
                end_date=form.cleaned_data["end_date"],
                reason=form.cleaned_data["end_reason"],
                actor=request.user,
                seen=seen_by(form),
            )

        if run_service(form, save):
            messages.success(request, _("Đã ghi nhận «%(name)s» rời hộ.") % {"name": person.full_name})
            return redirect(detail_url(household, "thanh-vien"))
    return household_form_page(
        request,
        household,
        form,
        title=_("«%(name)s» rời hộ %(code)s") % {"name": person.full_name, "code": household.code},
        url_name="web:member-leave",
        url_args=[household.pk, person.pk],
        changes=lambda: _leaving(form, membership),
        submit_label=_("Ghi nhận rời hộ"),
    )


@login_required
@require_POST
def member_leave_preview(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    household = editable(request, pk)
    membership = current_membership(household, person_pk)
    form = _leave_form(household, request.POST)
    form.is_valid()
    return preview_changes(request, household, _leaving(form, membership))


# Living conditions ------------------------------------------------------------------------------------------


def _living_form(household: Household, data: Any = None) -> LivingConditionsForm:
    records = list(household.living_conditions.all())
    latest = max(records, key=lambda r: r.recorded_on) if records else None
    initial = {**living_record_values(latest), "recorded_on": local_today(), **stamp(household)}
    return LivingConditionsForm(data, initial=initial)


def _recorded(form: LivingConditionsForm) -> FactChanges:
    record = {**form.values(), "recorded_on": form.cleaned_data.get("recorded_on") or local_today()}
    return FactChanges(living_conditions=record)


@login_required
def living_conditions(request: HttpRequest, pk: int) -> HttpResponse:
    household = editable(request, pk)
    form = _living_form(household, request.POST or None)
    if request.method == "POST" and form.is_valid():

        def save() -> None:
            services.living_conditions_record(
                household=household,
                recorded_on=form.cleaned_data["recorded_on"],
                actor=request.user,
                seen=seen_by(form),
                **form.values(),
            )

        if run_service(form, save):
            messages.success(
                request, _("Đã ghi nhận điều kiện sống của hộ %(code)s.") % {"code": household.code}
            )
            return redirect(detail_url(household, "dieu-kien-song"))
    return household_form_page(
        request,
        household,
        form,
        title=_("Điều kiện sống của hộ %(code)s") % {"code": household.code},
        intro=_(
            "Mỗi lần ghi nhận là một bản ghi mới theo ngày; "
            "ghi lại trong cùng một ngày thì sửa bản ghi ngày đó."
        ),
        url_name="web:living-conditions",
        url_args=[household.pk],
        changes=lambda: _recorded(form),
    )


@login_required
@require_POST
def living_conditions_preview(request: HttpRequest, pk: int) -> HttpResponse:
    household = editable(request, pk)
    form = _living_form(household, request.POST)
    form.is_valid()
    return preview_changes(request, household, _recorded(form))
