"""Record an assessment in a review covering the household, and record the latest one again from today's
registry facts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from giamngheo.accounts.access import household_for_assess, reviews_covering
from giamngheo.engine.standard import StandardError, get_standard, load_catalogue, standard_in_force
from giamngheo.registry.models import Household
from giamngheo.reviews import services as reviews
from giamngheo.reviews.models import Assessment, Review
from giamngheo.reviews.services import assessment_record, causes_of, entered_flags
from giamngheo.web.edit.classification import Basis, Outcome, classify
from giamngheo.web.edit.common import (
    assessable,
    detail_url,
    form_page,
    latest_assessment,
    local_today,
    preview,
    run_service,
    seen_by,
    stamp,
    status_for,
)
from giamngheo.web.forms import AssessmentForm, StampedForm


def _assessment_form(household: Household, reviews: QuerySet[Review], data: Any = None) -> AssessmentForm:
    codes: set[str] = set()
    for standard_id in {review.standard_id for review in reviews}:
        codes.update(get_standard(standard_id).indicator_codes)
    catalogue = load_catalogue()
    ordered = sorted(codes, key=lambda code: catalogue[code].bit)
    latest = latest_assessment(household)
    initial: dict[str, Any] = {"assessed_on": local_today(), "review": reviews.first(), **stamp(household)}
    if latest is not None:
        initial.update(
            income_per_capita=latest.income_per_capita,
            income_method=latest.income_method,
            b1_score=latest.b1_score,
            causes=causes_of(latest),
            **{f"entered_{code}": value for code, value in entered_flags(latest).items()},
        )
    return AssessmentForm(data, initial=initial, reviews=reviews, indicator_codes=ordered)


@login_required
def assessment_add(request: HttpRequest, pk: int) -> HttpResponse:
    household = assessable(request, pk)
    reviews = reviews_covering(request.user, household)
    form = _assessment_form(household, reviews, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recorded: list[Assessment] = []

        def save() -> None:
            recorded.append(
                assessment_record(
                    review=data["review"],
                    household=household,
                    assessed_on=data["assessed_on"],
                    income_per_capita=data["income_per_capita"],
                    actor=request.user,
                    seen=seen_by(form),
                    entered=form.entered(),
                    income_method=data["income_method"],
                    b1_score=data["b1_score"],
                    causes=data["causes"],
                    reviewer_name=data["reviewer_name"],
                )
            )

        if run_service(form, save):
            assessment = recorded[0]
            messages.success(
                request,
                _("Đã ghi phiếu rà soát %(review)s: %(class)s.")
                % {"review": assessment.review.name, "class": assessment.get_poverty_class_display()},
            )
            return redirect(detail_url(household, "ra-soat"))
    no_review = "" if reviews.exists() else _("Chưa có đợt rà soát nào bao gồm xã của hộ này.")
    return form_page(
        request,
        household,
        form,
        title=_("Ghi phiếu rà soát hộ %(code)s") % {"code": household.code},
        intro=no_review
        or _("Phân loại do bộ máy tính theo chuẩn của đợt rà soát, từ dữ liệu hộ vào ngày rà soát."),
        action_url=reverse("web:assessment-add", args=[household.pk]),
        preview_url=reverse("web:assessment-add-preview", args=[household.pk]),
        current=(
            _assessment_outcome(household, form.cleaned_data, form)
            if form.is_bound
            else _assessment_outcome(household, form.initial)
        ),
        status=status_for(form),
    )


def _assessment_outcome(
    household: Household, values: Mapping[str, Any], form: AssessmentForm | None = None
) -> Outcome | None:
    """The class the assessment form's values give: the review's standard, the household on the date."""
    on = values.get("assessed_on") or local_today()
    review = values.get("review")
    try:
        standard = get_standard(review.standard_id) if review is not None else standard_in_force(on)
    except StandardError:
        return None
    entered = (
        form.entered()
        if form is not None
        else {
            name.removeprefix("entered_"): value
            for name, value in values.items()
            if name.startswith("entered_") and value is not None
        }
    )
    basis = Basis(standard=standard, on=on, income=values.get("income_per_capita"), entered=entered)
    return classify(household, basis)


@login_required
@require_POST
def assessment_add_preview(request: HttpRequest, pk: int) -> HttpResponse:
    household = assessable(request, pk)
    form = _assessment_form(household, reviews_covering(request.user, household), request.POST)
    form.is_valid()
    return preview(request, None, _assessment_outcome(household, form.cleaned_data, form))


@login_required
@require_POST
def assessment_rerecord(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the latest assessment again in its review, with the same date, income, entered flags and causes,
    from the registry's facts as they are now (for instance after a member's facts were corrected)."""
    household = household_for_assess(request.user, pk)
    latest = latest_assessment(household)
    if latest is None:
        raise Http404(_("Hộ chưa có phiếu rà soát."))
    form = StampedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Biểu mẫu đã hết hạn; hãy tải lại trang."))
        return redirect(detail_url(household))
    try:
        assessment = reviews.assessment_rerecord(assessment=latest, actor=request.user, seen=seen_by(form))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Đã ghi lại phiếu %(review)s theo dữ liệu hiện tại: %(class)s.")
            % {"review": assessment.review.name, "class": assessment.get_poverty_class_display()},
        )
    return redirect(detail_url(household, "phan-loai"))
