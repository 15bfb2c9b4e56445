"""Record an assessment in an open round covering the household, correct one of a closed round, record the
household again from today's registry facts, and open the commune's regular (monthly) round.

Results stay as decided: only rounds open today are offered for recording; a closed round's result is changed
only by a correction, a new entry that names what it corrects and why. Every button that writes a result first
says what it will write and asks to confirm (`CONFIRM` in the posted data); nothing is saved before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from giamngheo.accounts.access import household_for_assess, reviews_covering
from giamngheo.accounts.scope import scope_for
from giamngheo.engine.standard import StandardError, get_standard, load_catalogue, standard_in_force
from giamngheo.registry.models import Household
from giamngheo.reviews import services as reviews
from giamngheo.reviews.explanations import explain_assessment
from giamngheo.reviews.models import Assessment, Review
from giamngheo.reviews.rounds import household_commune_on, regular_round_period
from giamngheo.reviews.selectors import assessment_in_force_of
from giamngheo.reviews.services import assessment_record, causes_of, entered_flags
from giamngheo.web.edit.classification import Basis, Outcome, classify, rerecord_outcome
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
from giamngheo.web.forms import AssessmentForm, CorrectionForm, StampedForm


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


CONFIRM = "xac_nhan"  # posted by the confirmation button: the user has seen what will be written


def _open_rounds(request: HttpRequest, household: Household) -> QuerySet[Review]:
    """Rounds covering the household that the user may see and that are open today, newest first."""
    return reviews_covering(request.user, household).filter(reference_date__gte=local_today())


def _regular_round_offer(request: HttpRequest, household: Household) -> dict[str, Any] | None:
    """The regular round of the household's commune for today, when it is not open yet and the user may open it."""
    if not scope_for(request.user).can_open_review:
        return None
    today = local_today()
    commune = household_commune_on(household, today)
    if reviews.regular_round(commune=commune, on=today, may_open=False) is not None:
        return None
    start, cutoff = regular_round_period(today)
    return {"commune": commune, "start": start, "cutoff": cutoff}


@login_required
def assessment_add(request: HttpRequest, pk: int) -> HttpResponse:
    household = assessable(request, pk)
    rounds = _open_rounds(request, household)
    form = _assessment_form(household, rounds, request.POST or None)
    confirm: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        confirmed = request.POST.get(CONFIRM) == "1"
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
                    dry_run=not confirmed,
                )
            )

        if run_service(form, save):
            assessment = recorded[0]
            if not confirmed:
                confirm = {
                    "review": data["review"],
                    "assessment": assessment,
                    "explained": explain_assessment(assessment),
                }
            else:
                messages.success(
                    request,
                    _("Đã ghi phiếu rà soát %(review)s: %(class)s.")
                    % {"review": assessment.review.name, "class": assessment.get_poverty_class_display()},
                )
                return redirect(detail_url(household, "ra-soat"))
    no_round = "" if rounds.exists() else _("Chưa có đợt rà soát đang mở nào bao gồm xã của hộ này.")
    return form_page(
        request,
        household,
        form,
        title=_("Ghi phiếu rà soát hộ %(code)s") % {"code": household.code},
        intro=no_round
        or _(
            "Chỉ các đợt rà soát chưa qua ngày chốt số liệu mới được ghi. Phân loại do bộ máy tính theo chuẩn của "
            "đợt rà soát, từ dữ liệu hộ vào ngày rà soát."
        ),
        action_url=reverse("web:assessment-add", args=[household.pk]),
        preview_url=reverse("web:assessment-add-preview", args=[household.pk]),
        current=(
            _assessment_outcome(household, form.cleaned_data, form)
            if form.is_bound
            else _assessment_outcome(household, form.initial)
        ),
        status=status_for(form),
        confirm=confirm,
        open_regular=_regular_round_offer(request, household),
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
    form = _assessment_form(household, _open_rounds(request, household), request.POST)
    form.is_valid()
    return preview(request, None, _assessment_outcome(household, form.cleaned_data, form))


@login_required
@require_POST
def regular_round_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the regular (monthly) round of the household's commune for today, then go back to the assessment
    form. The button says which round it opens; opening a round records no result."""
    household = household_for_assess(request.user, pk)
    if not scope_for(request.user).can_open_review:
        raise PermissionDenied(_("Tài khoản của bạn không được mở đợt rà soát."))
    commune = household_commune_on(household, local_today())
    try:
        review = reviews.regular_round(commune=commune, on=local_today(), may_open=True)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        assert review is not None
        messages.success(request, _("Đã mở đợt «%(review)s».") % {"review": review.name})
    return redirect(reverse("web:assessment-add", args=[household.pk]))


@login_required
def assessment_rerecord(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the household again from the registry's data as it is today (for instance after a member's facts
    were corrected), with the survey answers of its latest assessment: into that assessment's round while it is
    open, otherwise into the open regular round of the household's commune (opened if the user may). GET shows
    what would be recorded; the confirmation posts it."""
    household = assessable(request, pk)
    today = local_today()
    plan = reviews.rerecord_plan(household=household, on=today)
    if plan is None:
        raise Http404(_("Hộ chưa có phiếu rà soát."))
    may_open = scope_for(request.user).can_open_review
    if request.method == "POST":
        form = StampedForm(request.POST)
        if not form.is_valid() or request.POST.get(CONFIRM) != "1":
            messages.error(request, _("Biểu mẫu đã hết hạn; hãy tải lại trang."))
            return redirect(detail_url(household))
        try:
            assessment = reviews.assessment_rerecord(
                household=household, actor=request.user, may_open=may_open, seen=seen_by(form), on=today
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(detail_url(household, "phan-loai"))
        messages.success(
            request,
            _("Đã ghi phiếu vào %(review)s theo dữ liệu hiện tại: %(class)s.")
            % {"review": assessment.review.name, "class": assessment.get_poverty_class_display()},
        )
        return redirect(detail_url(household, "ra-soat"))
    try:
        outcome: Outcome | None = rerecord_outcome(household, plan)
    except StandardError:
        outcome = None
    return render(
        request,
        "web/edit/rerecord.html",
        {
            "household": household,
            "plan": plan,
            "start": regular_round_period(today)[0],
            "outcome": outcome,
            "may_open": may_open,
            "stamp": stamp(household),
            "confirm_name": CONFIRM,
            "cancel_url": detail_url(household, "phan-loai"),
        },
    )


def _correction_form(assessment: Assessment, data: Any = None) -> CorrectionForm:
    standard = get_standard(assessment.standard_id)
    initial: dict[str, Any] = {
        "income_per_capita": assessment.income_per_capita,
        "income_method": assessment.income_method,
        "b1_score": assessment.b1_score,
        "causes": causes_of(assessment),
        **{f"entered_{code}": value for code, value in entered_flags(assessment).items()},
        **stamp(assessment.household),
    }
    return CorrectionForm(data, initial=initial, indicator_codes=standard.indicator_codes)


@login_required
def assessment_correct(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    """Correct an assessment of a closed round: a new entry in the same round that names what it corrects and
    why; the corrected one is kept as it was."""
    household = assessable(request, pk)
    assessment = assessment_in_force_of(household, assessment_pk)
    form = _correction_form(assessment, request.POST or None)
    confirm: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        confirmed = request.POST.get(CONFIRM) == "1"
        corrected: list[Assessment] = []

        def save() -> None:
            corrected.append(
                reviews.assessment_correct(
                    assessment=assessment,
                    actor=request.user,
                    reason=data["reason"],
                    seen=seen_by(form),
                    income_per_capita=data["income_per_capita"],
                    entered=form.entered(),
                    income_method=data["income_method"],
                    b1_score=data["b1_score"],
                    causes=data["causes"],
                    dry_run=not confirmed,
                )
            )

        if run_service(form, save):
            if not confirmed:
                confirm = {
                    "review": assessment.review,
                    "assessment": corrected[0],
                    "explained": explain_assessment(corrected[0]),
                }
            else:
                messages.success(
                    request,
                    _("Đã ghi đính chính phiếu của đợt %(review)s: %(class)s.")
                    % {"review": assessment.review.name, "class": corrected[0].get_poverty_class_display()},
                )
                return redirect(detail_url(household, "ra-soat"))
    return form_page(
        request,
        household,
        form,
        title=_("Đính chính phiếu rà soát ngày %(day)s của hộ %(code)s")
        % {"day": assessment.assessed_on.strftime("%d/%m/%Y"), "code": household.code},
        intro=_(
            "Đợt «%(review)s» đã chốt số liệu ngày %(cutoff)s, nên kết quả không được ghi đè. Đính chính là một "
            "phiếu mới trong cùng đợt, ghi rõ lý do và phiếu được đính chính; phiếu cũ vẫn được giữ nguyên."
        )
        % {"review": assessment.review.name, "cutoff": assessment.review.reference_date.strftime("%d/%m/%Y")},
        action_url=reverse("web:assessment-correct", args=[household.pk, assessment.pk]),
        current=_correction_outcome(household, assessment, form if form.is_bound else None),
        status=status_for(form),
        confirm=confirm,
        submit_label=_("Ghi đính chính"),
    )


def _correction_outcome(
    household: Household, assessment: Assessment, form: CorrectionForm | None
) -> Outcome | None:
    """What the correction would record: the round's standard, the household's facts on the assessment's date."""
    values: Mapping[str, Any] = (
        form.cleaned_data if form is not None and hasattr(form, "cleaned_data") else {}
    )
    try:
        standard = get_standard(assessment.standard_id)
    except StandardError:
        return None
    income = values.get("income_per_capita", assessment.income_per_capita)
    entered = (
        form.entered() if form is not None and hasattr(form, "cleaned_data") else entered_flags(assessment)
    )
    basis = Basis(standard=standard, on=assessment.assessed_on, income=income, entered=entered)
    return classify(household, basis)
