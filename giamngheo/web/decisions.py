"""The chairman's decisions and their approval, for the officers (`decisions.services`, `decisions.approval`).

`/quyet-dinh/`: the review rounds of the account's area, each commune's results with its decision and approval
state, and what the account may do next: a commune officer records the decision (or a correction while the
results are not locked) and submits; province staff approve or unlock with a reason. A round or a commune
outside the account's area is the same 404 as a missing one; a step the account's role may not take is 403 (the
services check the role and area again).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from giamngheo.accounts.access import (
    approvals_for,
    assessments_for,
    decisions_for,
    reviews_for,
    round_for,
    unit_not_found,
)
from giamngheo.accounts.scope import scope_for
from giamngheo.areas.models import AdminUnit
from giamngheo.decisions.approval import (
    APPROVERS,
    DECIDERS,
    DRAFT,
    approval_state,
    round_approve,
    round_submit,
    round_unlock,
    state_label,
)
from giamngheo.decisions.models import ApprovalAction, Decision
from giamngheo.decisions.services import decision_record
from giamngheo.reviews.models import Review
from giamngheo.reviews.stats import area_label
from giamngheo.web.forms import apply_service_errors, date_field

ROUNDS_SHOWN = 20


class DecisionForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Số quyết định"), max_length=60)
    signed_on = date_field(gettext_lazy("Ngày ký"))
    signer = forms.CharField(label=gettext_lazy("Người ký"), max_length=150)
    reason = forms.CharField(
        label=gettext_lazy("Lý do đính chính"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def _round(request: HttpRequest, review_pk: int, commune_pk: int) -> tuple[Review, AdminUnit]:
    review, commune = round_for(request.user, review_pk, commune_pk)
    if not assessments_for(request.user).filter(review=review, commune=commune).exists():
        raise unit_not_found()
    return review, commune


@login_required
def decisions_page(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    rounds = list(
        reviews_for(request.user).select_related("area").order_by("-reference_date", "-pk")[:ROUNDS_SHOWN]
    )
    counts = (
        assessments_for(request.user)
        .filter(review__in=[r.pk for r in rounds], superseded=False)
        .values_list("review_id", "commune_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    readable = None if scope.everything else scope.stats_commune_ids
    cells: dict[int, list[tuple[int, int]]] = {}
    for review_id, commune_id, n in counts:
        if readable is None or commune_id in readable:
            cells.setdefault(review_id, []).append((commune_id, n))
    units = AdminUnit.objects.in_bulk({c for items in cells.values() for c, _n in items})
    decisions: dict[tuple[int, int], Decision] = {}
    for row in decisions_for(request.user).filter(review__in=list(cells)).order_by("recorded_at", "id"):
        decisions[(row.review_id, row.commune_id)] = row
    states: dict[tuple[int, int], str] = {}
    for approval in approvals_for(request.user).filter(review__in=list(cells)).order_by("at", "id"):
        states[(approval.review_id, approval.commune_id)] = (
            DRAFT if approval.action == ApprovalAction.UNLOCKED else approval.action
        )
    table = []
    for review in rounds:
        lines = []
        for commune_id, n in sorted(cells.get(review.pk, []), key=lambda item: units[item[0]].code):
            state = states.get((review.pk, commune_id), DRAFT)
            decision = decisions.get((review.pk, commune_id))
            lines.append(
                {
                    "commune": units[commune_id],
                    "label": area_label(units[commune_id]),
                    "assessments": n,
                    "decision": decision,
                    "state": state,
                    "state_label": state_label(state),
                    "may_decide": scope.role in DECIDERS and state == DRAFT,
                    "may_submit": scope.role in DECIDERS and state == DRAFT and decision is not None,
                    "may_approve": scope.role in APPROVERS and state == ApprovalAction.SUBMITTED,
                    "may_unlock": scope.role in APPROVERS and state != DRAFT,
                }
            )
        if lines:
            table.append({"review": review, "lines": lines})
    return render(request, "web/decisions.html", {"rounds": table})


@login_required
def decision_form(request: HttpRequest, review_pk: int, commune_pk: int) -> HttpResponse:
    review, commune = _round(request, review_pk, commune_pk)
    in_force = (
        decisions_for(request.user)
        .filter(review=review, commune=commune)
        .order_by("-recorded_at", "-id")
        .first()
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = decision_record(
                review=review, commune=commune, number=data["number"], signed_on=data["signed_on"],
                signer=data["signer"], actor=request.user, corrects=in_force, reason=data["reason"],
            )  # fmt: skip
        except ValidationError as error:
            apply_service_errors(form, error, {"corrects": "reason"})
        else:
            messages.success(
                request,
                _("Đã ghi quyết định %(number)s: %(count)s hộ thay đổi tình trạng từ ngày %(date)s.")
                % {"number": decision.number, "count": decision.statuses.count(),
                   "date": f"{decision.effective_from:%d/%m/%Y}"},
            )  # fmt: skip
            return redirect("web:decisions")
    return render(
        request,
        "web/decision_form.html",
        {"form": form, "review": review, "commune": commune, "commune_label": area_label(commune),
         "in_force": in_force, "state": state_label(approval_state(review, commune))},
    )  # fmt: skip


@login_required
@require_POST
def approval_step(request: HttpRequest, review_pk: int, commune_pk: int, step: str) -> HttpResponse:
    review, commune = _round(request, review_pk, commune_pk)
    try:
        if step == "trinh":
            round_submit(review=review, commune=commune, actor=request.user)
        elif step == "phe-duyet":
            round_approve(review=review, commune=commune, actor=request.user)
        elif step == "mo-khoa":
            round_unlock(
                review=review, commune=commune, actor=request.user, reason=request.POST.get("reason", "")
            )
        else:
            raise Http404(_("Không tìm thấy đợt rà soát."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(commune)s, đợt «%(review)s»: %(state)s.")
            % {"commune": area_label(commune), "review": review.name,
               "state": state_label(approval_state(review, commune))},
        )  # fmt: skip
    return redirect("web:decisions")
