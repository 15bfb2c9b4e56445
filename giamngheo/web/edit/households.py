"""Register a household with its head, and edit a household (version-checked by `household_update`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from giamngheo.accounts.scope import scope_for
from giamngheo.lib.params import positive_int
from giamngheo.registry import services
from giamngheo.registry.models import Household, Relationship
from giamngheo.registry.selectors import current_members
from giamngheo.web.edit.classification import FactChanges
from giamngheo.web.edit.common import (
    detail_url,
    editable,
    editable_communes,
    form_page,
    household_form_page,
    local_today,
    preview_changes,
    run_service,
    seen_by,
    stamp,
    status_for,
)
from giamngheo.web.forms import HouseholdCreateForm, HouseholdEditForm, villages_of


def _village_attrs(form: HouseholdCreateForm | HouseholdEditForm) -> None:
    """The village list follows the chosen commune (htmx replaces the village options)."""
    form.fields["commune"].widget.attrs.update(
        {
            "hx-get": reverse("web:household-villages"),
            "hx-target": f"#{form['village'].auto_id}",
            "hx-trigger": "change",
            "hx-swap": "innerHTML",
            "hx-sync": "this:replace",  # its own queue, not the form's preview queue
        }
    )


@login_required
def household_create(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.can_edit:
        raise PermissionDenied(_("Tài khoản của bạn không được đăng ký hộ mới."))
    today = local_today()
    communes = editable_communes(scope, today)
    initial = {"registered_on": today, "area_type": "nong_thon"}
    form = HouseholdCreateForm(request.POST or None, initial=initial, communes=communes)
    _village_attrs(form)
    if request.method == "POST" and form.is_valid():
        created: list[Household] = []

        def save() -> None:
            with transaction.atomic():  # household and head together, or nothing
                household = services.household_register(actor=request.user, **form.household_values())
                services.member_add(
                    household=household,
                    actor=request.user,
                    relationship=Relationship.HEAD,
                    start_date=form.cleaned_data["registered_on"],
                    **form.head_values(),
                )
                created.append(household)

        if run_service(form, save, HouseholdCreateForm.SERVICE_FIELDS):
            messages.success(request, _("Đã đăng ký hộ %(code)s.") % {"code": created[0].code})
            return redirect(detail_url(created[0]))
    return form_page(
        request,
        None,
        form,
        title=_("Đăng ký hộ mới"),
        action_url=reverse("web:household-create"),
        submit_label=_("Đăng ký hộ"),
        intro=_("Phân loại hộ sau khi ghi phiếu rà soát (cần thu nhập bình quân đầu người)."),
        status=status_for(form),
    )


@login_required
@require_GET
def household_villages(request: HttpRequest) -> HttpResponse:
    """The village options of a commune the user may edit (for the commune select of the household forms)."""
    scope = scope_for(request.user)
    if not scope.can_edit:
        raise PermissionDenied
    raw = request.GET.get("commune", "")
    commune_id = positive_int(raw)
    commune = (
        editable_communes(scope, local_today()).filter(pk=commune_id).first()
        if commune_id is not None
        else None
    )
    return render(request, "web/edit/_village_options.html", {"villages": villages_of(commune)})


def _household_form(request: HttpRequest, household: Household, data: Any = None) -> HouseholdEditForm:
    scope = scope_for(request.user)
    members = current_members(household, local_today())
    initial = {
        "code": household.code,
        "commune": household.commune,
        "village": household.village,
        "area_type": household.area_type,
        "address": household.address,
        "head": household.head,
        "is_agri": household.is_agri,
        "has_meritorious_member": household.has_meritorious_member,
        "no_working_capacity": household.no_working_capacity,
        "on": local_today(),
        **stamp(household),
    }
    form = HouseholdEditForm(
        data,
        initial=initial,
        communes=editable_communes(scope, local_today(), keep=household.commune),
        current_commune=household.commune,
        members=members,
    )
    _village_attrs(form)
    return form


def _household_changes(form: HouseholdEditForm) -> FactChanges:
    return FactChanges(area_type=form.cleaned_data.get("area_type"), is_agri=form.cleaned_data.get("is_agri"))


@login_required
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = editable(request, pk)
    form = _household_form(request, household, request.POST or None)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not changes:
            messages.info(request, _("Không có thay đổi nào để lưu."))
            return redirect(detail_url(household))

        def save() -> None:
            services.household_update(
                household=household,
                actor=request.user,
                seen=seen_by(form),
                on=form.cleaned_data["on"],
                **changes,
            )

        if run_service(form, save):
            messages.success(request, _("Đã lưu thông tin hộ %(code)s.") % {"code": household.code})
            return redirect(detail_url(household))
    return household_form_page(
        request,
        household,
        form,
        title=_("Sửa thông tin hộ %(code)s") % {"code": household.code},
        url_name="web:household-edit",
        url_args=[household.pk],
        changes=lambda: _household_changes(form),
    )


@login_required
@require_POST
def household_edit_preview(request: HttpRequest, pk: int) -> HttpResponse:
    household = editable(request, pk)
    form = _household_form(request, household, request.POST)
    form.is_valid()
    return preview_changes(request, household, _household_changes(form))
