"""Reviews and assessments: open a review round, record a household's assessment (single and bulk), and
re-classify stored assessments in bulk.

Rules: a periodic review of year Y (1 September – 14 December, QĐ 24/2021/QĐ-TTg Art. 3) produces the lists that
take effect in Y+1, so it uses the standard in force on 1 January of Y+1 (domain.md §2.2: the 2025 review, for
the 2026 lists, still uses NĐ 07/2021, which NĐ 351/2025 extends through 2026; the 2026 review, for the 2027
lists, uses NĐ 351/2025). A regular (monthly) review recognises households in the same year. The class is always computed by the engine from the household's
facts and the reviewer's entered flags, never given by the caller; the facts snapshot, the masks and the
explanation are stored with the standard that produced them.

Results stay as decided (`reviews.rounds`): nothing here rewrites an assessment of a round whose cut-off date has
passed. Recording into a closed round is refused (`ClosedRoundError`); `assessment_correct` adds a correction that
names what it corrects; `assessment_rerecord` records today's data into the round open today. Only the import of
historical records (`assessments_bulk_record(historical=True)`, used by the demo generator and data migration) may
add a household's first assessment to a closed round, never replace one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from giamngheo.areas.models import AdminUnit
from giamngheo.areas.selectors import commune_ids_within
from giamngheo.engine.batch import classify_frame
from giamngheo.engine.classify import Classification, classification_from_masks, classify_household
from giamngheo.engine.facts import HouseholdFacts
from giamngheo.engine.frames import entered_masks, facts_to_frames
from giamngheo.engine.standard import (
    Standard,
    StandardError,
    get_standard,
    load_catalogue,
    standard_for_lists_year,
)
from giamngheo.registry.concurrency import Relevant, Seen, any_change, of_kind, refuse_if_stale
from giamngheo.registry.facts import FactsRequest, facts_for_households, facts_to_json
from giamngheo.registry.history import Changes, EventContext, diff, initial_changes
from giamngheo.registry.models import EventKind, Household, HouseholdEvent
from giamngheo.registry.sqlbulk import insert_rows, update_rows
from giamngheo.registry.validation import Problems, add, is_choice, raise_if_any, row_messages, vn_date
from giamngheo.reviews.explanations import recorded_labels
from giamngheo.reviews.models import Assessment, Cause, IncomeMethod, Review, ReviewKind
from giamngheo.reviews.rounds import ClosedRoundError, household_commune_on, regular_round_period
from giamngheo.standards.services import ensure_standard_row


def lists_effective_year(kind: str, year: int) -> int:
    return year + 1 if kind == ReviewKind.PERIODIC else year


def _december_regular(kind: str, year: int, reference_date: date) -> bool:
    """The regular round of December runs into January (`rounds.regular_round_period`); it belongs to the year it
    starts in."""
    return kind == ReviewKind.REGULAR and reference_date.year == year + 1 and reference_date.month == 1


def review_open(
    *,
    area: AdminUnit,
    year: int,
    reference_date: date,
    kind: str = ReviewKind.PERIODIC,
    standard_code: str | None = None,
    name: str | None = None,
) -> Review:
    """Open a review round for an area. The standard defaults to the one in force when its lists take effect."""
    problems: Problems = {}
    if kind not in ReviewKind.values:
        add(
            problems,
            "kind",
            _("Loại rà soát «%(value)s» không hợp lệ (chọn một trong: %(allowed)s).")
            % {"value": kind, "allowed": ", ".join(ReviewKind.values)},
        )
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        add(problems, "year", _("Năm rà soát «%(value)s» không hợp lệ.") % {"value": year})
    if not isinstance(reference_date, date):
        add(
            problems,
            "reference_date",
            _("Ngày chốt số liệu «%(value)s» không phải là ngày.") % {"value": reference_date},
        )
    elif (
        isinstance(year, int)
        and reference_date.year != year
        and not _december_regular(kind, year, reference_date)
    ):
        add(
            problems,
            "reference_date",
            _("Ngày chốt số liệu %(date)s không thuộc năm %(year)s.")
            % {"date": vn_date(reference_date), "year": year},
        )
    elif not area.is_valid_on(reference_date):
        add(
            problems,
            "area",
            _("Địa bàn %(area)s không có hiệu lực vào ngày %(date)s.")
            % {"area": area, "date": vn_date(reference_date)},
        )
    raise_if_any(problems)
    effective_year = lists_effective_year(kind, year)
    try:
        standard = get_standard(standard_code) if standard_code else standard_for_lists_year(effective_year)
    except StandardError as exc:
        raise ValidationError({"standard": str(exc)}) from exc
    with transaction.atomic():
        row = ensure_standard_row(standard)
        if Review.objects.filter(area=area, year=year, kind=kind, reference_date=reference_date).exists():
            raise ValidationError(
                {
                    "reference_date": _("Đã có đợt %(kind)s năm %(year)s của %(area)s chốt ngày %(date)s.")
                    % {
                        "kind": ReviewKind(kind).label.lower(),
                        "year": year,
                        "area": area.name,
                        "date": vn_date(reference_date),
                    }
                }
            )
        # The default name is stored, so it is written in the site's language, not the requester's.
        with translation.override(settings.LANGUAGE_CODE):
            label = str(ReviewKind(kind).label)
            if kind == ReviewKind.REGULAR:
                start, _cutoff = regular_round_period(reference_date)
                default_name = _("Rà soát thường xuyên tháng %(month)s — %(area)s") % {
                    "month": start.strftime("%m/%Y"),
                    "area": area.name,
                }
            else:
                default_name = f"{label} năm {year} — {area.name}"
        return Review.objects.create(
            name=name or default_name,
            kind=kind,
            year=year,
            area=area,
            standard=row,
            lists_effective_year=effective_year,
            reference_date=reference_date,
        )


def regular_round(*, commune: AdminUnit, on: date, may_open: bool) -> Review | None:
    """The regular (monthly) round of `commune` that `on` falls in (`rounds.regular_round_period`), opened when
    there is none yet and the caller may open rounds; None when there is none and it may not."""
    start, cutoff = regular_round_period(on)
    found = (
        Review.objects.filter(area=commune, kind=ReviewKind.REGULAR, reference_date=cutoff)
        .select_related("area", "standard")
        .first()
    )
    if found is not None or not may_open:
        return found
    with transaction.atomic():
        return review_open(area=commune, year=start.year, reference_date=cutoff, kind=ReviewKind.REGULAR)


# Assessments -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentInput:
    """One household's survey result, as `assessment_record` takes it (for `assessments_bulk_record`)."""

    household: Household
    assessed_on: date
    income_per_capita: int
    entered: Mapping[str, bool] | None = None
    income_method: str = IncomeMethod.ESTIMATED
    b1_score: int | None = None
    causes: Iterable[int] = ()
    reviewer_name: str = ""
    is_agri: bool | None = None  # None: the household's registered flag


@dataclass
class _Prepared:
    item: AssessmentInput
    entered: dict[str, bool]
    masks: tuple[int, int]
    causes_mask: int
    request: FactsRequest
    problems: Problems = field(default_factory=dict)


def _check_item(
    item: AssessmentInput, review: Review, today: date, area_communes: set[int] | None
) -> _Prepared:
    problems: Problems = {}
    income = item.income_per_capita
    if isinstance(income, bool) or not isinstance(income, int):
        add(
            problems,
            "income_per_capita",
            _("Thu nhập bình quân đầu người «%(value)s» phải là số nguyên đồng.") % {"value": income},
        )
        income = 0
    elif income < 0:
        add(
            problems,
            "income_per_capita",
            _("Thu nhập bình quân đầu người không được âm (đã nhập %(value)s).") % {"value": income},
        )
    if not is_choice(IncomeMethod, item.income_method):
        add(
            problems,
            "income_method",
            _("Cách xác định thu nhập «%(value)s» không hợp lệ.") % {"value": item.income_method},
        )
    if item.b1_score is not None and (not isinstance(item.b1_score, int) or item.b1_score < 0):
        add(
            problems,
            "b1_score",
            _("Điểm phiếu B1 «%(value)s» phải là số nguyên không âm.") % {"value": item.b1_score},
        )
    causes = list(item.causes)
    bad_causes = [c for c in causes if not is_choice(Cause, c)]
    if bad_causes:
        add(
            problems,
            "causes",
            _("Nguyên nhân nghèo không hợp lệ: %(values)s.") % {"values": ", ".join(map(str, bad_causes))},
        )
    causes_mask = sum(1 << c for c in set(causes) if is_choice(Cause, c))
    entered = {code: value for code, value in (item.entered or {}).items() if value is not None}
    masks = (0, 0)
    try:
        masks = entered_masks(entered)
    except ValueError as exc:
        add(problems, "entered", _("Chỉ số thiếu hụt: %(problem)s.") % {"problem": exc})
    household = item.household
    day = item.assessed_on
    if not isinstance(day, date):
        add(problems, "assessed_on", _("Ngày rà soát «%(value)s» không phải là ngày.") % {"value": day})
        day = review.reference_date
    elif day > today:
        add(
            problems,
            "assessed_on",
            _("Ngày rà soát %(date)s ở tương lai (hôm nay là %(today)s).")
            % {"date": vn_date(day), "today": vn_date(today)},
        )
    elif day > review.reference_date:
        add(
            problems,
            "assessed_on",
            _("Ngày rà soát %(date)s sau ngày chốt số liệu %(cutoff)s của đợt «%(review)s».")
            % {"date": vn_date(day), "cutoff": vn_date(review.reference_date), "review": review.name},
        )
    if household.registered_on is not None and day < household.registered_on:
        add(
            problems,
            "assessed_on",
            _("Ngày rà soát %(date)s trước ngày đăng ký hộ %(registered)s.")
            % {"date": vn_date(day), "registered": vn_date(household.registered_on)},
        )
    if household.closed_on is not None and day >= household.closed_on:
        add(
            problems,
            "household",
            _("Hộ %(code)s đã đóng ngày %(date)s.")
            % {"code": household.code, "date": vn_date(household.closed_on)},
        )
    if area_communes is not None and household.commune_id not in area_communes:
        add(
            problems,
            "household",
            _("Hộ %(code)s (%(commune)s) không thuộc địa bàn rà soát %(area)s.")
            % {"code": household.code, "commune": household.commune, "area": review.area},
        )
    request = FactsRequest(
        household=household, on=day, income_per_capita=income, entered=entered, is_agri=item.is_agri
    )
    return _Prepared(
        item=item, entered=entered, masks=masks, causes_mask=causes_mask, request=request, problems=problems
    )


class _CommuneAt:
    """`rounds.household_commune_on`, cached per (commune, village, day) for bulk recording."""

    def __init__(self) -> None:
        self.cache: dict[tuple[int, int | None, date], AdminUnit] = {}

    def __call__(self, household: Household, day: date) -> AdminUnit:
        if household.commune.is_valid_on(day):
            return household.commune
        key = (household.commune_id, household.village_id, day)
        if key not in self.cache:
            self.cache[key] = household_commune_on(household, day)
        return self.cache[key]


def _event_snapshot(assessment: Assessment, standard: Standard | None) -> dict[str, Any]:
    counted = []
    if standard is not None:
        counted = [
            code for code in standard.indicator_codes if assessment.deprivation_mask >> standard.bit(code) & 1
        ]
    return {
        "standard": assessment.standard_id,
        "poverty_class": assessment.poverty_class,
        "deprivation_count": assessment.deprivation_count,
        "deprivations": counted,
        "income_per_capita": assessment.income_per_capita,
        "income_method": assessment.income_method,
        "b1_score": assessment.b1_score,
        "member_count": assessment.member_count,
        "causes": [c for c in Cause.values if assessment.causes_mask >> c & 1],
    }


def _apply(
    assessment: Assessment,
    prepared: _Prepared,
    result: Classification,
    *,
    review: Review,
    commune: AdminUnit,
    context: EventContext,
    facts_json: dict[str, Any],
    member_count: int,
) -> None:
    item = prepared.item
    household = item.household
    assessment.review = review
    assessment.household = household
    assessment.commune = commune
    assessment.village = household.village
    assessment.assessed_on = item.assessed_on
    assessment.reviewer = context.actor
    assessment.reviewer_name = (item.reviewer_name or context.actor_name)[:150]
    assessment.area_type = household.area_type
    assessment.is_agri = (
        prepared.request.is_agri if prepared.request.is_agri is not None else household.is_agri
    )
    assessment.income_per_capita = item.income_per_capita
    assessment.income_method = item.income_method
    assessment.b1_score = item.b1_score
    assessment.entered_mask, assessment.entered_known_mask = prepared.masks
    assessment.causes_mask = prepared.causes_mask
    assessment.member_count = member_count
    assessment.facts = facts_json
    assessment.standard_id = result.standard_id
    assessment.poverty_class = str(result.poverty_class)
    assessment.deprivation_count = result.deprivation_count
    assessment.deprivation_mask = result.deprivation_mask
    assessment.derived_mask = result.derived_mask
    assessment.derivable_mask = result.derivable_mask
    assessment.conflict_mask = result.conflict_mask
    assessment.missing_mask = result.missing_mask
    assessment.explanation = result.explanation
    assessment.classified_at = context.recorded_at


def _assessed_event(
    context: EventContext,
    assessment: Assessment,
    before: dict[str, Any] | None,
    standard: Standard,
    review: Review,
    *,
    note: str = "",
) -> HouseholdEvent:
    after = _event_snapshot(assessment, standard)
    changes: Changes = initial_changes(Assessment, after) if before is None else diff(before, after)
    text = f"{review.name}: {assessment.explanation}"
    if note:
        text = note + text
    elif before is not None:
        with translation.override(settings.LANGUAGE_CODE):  # stored: in the site's language
            text = _("Ghi lại phiếu rà soát. ") + text
    return context.event(
        assessment.household,
        EventKind.ASSESSED,
        occurred_on=assessment.assessed_on,
        changes=changes,
        note=text,
    )


def _standard_of(review: Review) -> Standard:
    return get_standard(review.standard_id)


def assessment_record(
    *,
    review: Review,
    household: Household,
    assessed_on: date,
    income_per_capita: int,
    actor: Any,
    entered: Mapping[str, bool] | None = None,
    income_method: str = IncomeMethod.ESTIMATED,
    b1_score: int | None = None,
    causes: Iterable[int] = (),
    reviewer_name: str = "",
    seen: Seen | None = None,
    dry_run: bool = False,
) -> Assessment:
    """Record (or, while the round is open, re-record) a household's assessment in a review: build its facts on
    `assessed_on`, classify them with the scalar engine under the review's standard, store the result with its
    explanation and the facts snapshot, and write an ASSESSED event (old → new class when re-recorded). A closed
    round is refused (`rounds.ClosedRoundError`). `seen`: what the caller saw of the household (refused when an
    assessment of it or the household row was written since). `dry_run`: every check and the classification,
    nothing written; the unsaved assessment says what would be stored (for a confirmation)."""
    item = AssessmentInput(
        household=household,
        assessed_on=assessed_on,
        income_per_capita=income_per_capita,
        entered=entered,
        income_method=income_method,
        b1_score=b1_score,
        causes=tuple(causes),
        reviewer_name=reviewer_name,
    )
    [recorded] = _record(
        [item], review=review, actor=actor, actor_name=None, single=True, seen=seen, dry_run=dry_run
    )
    return recorded


@dataclass(frozen=True)
class RerecordPlan:
    """Where and how `assessment_rerecord` would record: the round (None: a regular round to open), the
    commune, the date and the survey answers taken from the latest assessment in force."""

    latest: Assessment
    review: Review | None
    commune: AdminUnit
    on: date
    opens_round: bool

    def item(self, household: Household) -> AssessmentInput:
        latest = self.latest
        return AssessmentInput(
            household=household,
            assessed_on=self.on,
            income_per_capita=latest.income_per_capita,
            entered=entered_flags(latest),
            income_method=latest.income_method,
            b1_score=latest.b1_score,
            causes=causes_of(latest),
            reviewer_name=latest.reviewer_name,
        )


def rerecord_plan(*, household: Household, on: date, latest: Assessment | None = None) -> RerecordPlan | None:
    """Where re-recording `household` from the registry's data on `on` goes: the round of its latest assessment
    in force while that round is still open, otherwise the regular (monthly) round of the household's commune on
    `on` (`review` None when that round is not open yet). None when the household has no assessment to take the
    survey answers (income, entered flags, causes) from. `latest`: the household's latest assessment in force,
    when the caller has it."""
    if latest is None:
        latest = (
            Assessment.objects.filter(household=household, superseded=False)
            .select_related("review", "review__area")
            .order_by("-assessed_on", "-id")
            .first()
        )
    if latest is None:
        return None
    if not latest.review.is_closed_on(on):
        return RerecordPlan(
            latest=latest, review=latest.review, commune=latest.commune, on=on, opens_round=False
        )
    commune = household_commune_on(household, on)
    review = regular_round(commune=commune, on=on, may_open=False)
    return RerecordPlan(latest=latest, review=review, commune=commune, on=on, opens_round=review is None)


def rerecord_standard(plan: RerecordPlan) -> Standard:
    """The standard a re-record under `plan` is classified with: its round's, or for the regular round still to
    open, the one `review_open` will give it."""
    if plan.review is not None:
        return _standard_of(plan.review)
    start, _cutoff = regular_round_period(plan.on)
    return standard_for_lists_year(lists_effective_year(ReviewKind.REGULAR, start.year))


def assessment_rerecord(
    *, household: Household, actor: Any, may_open: bool, seen: Seen | None = None, on: date | None = None
) -> Assessment:
    """Record the household again from the registry's data as it is on `on` (default today), with the survey
    answers of its latest assessment (`rerecord_plan`): into that assessment's round while it is open, otherwise
    into the regular round of the household's commune, opened when there is none and `may_open`. A decided
    result of a closed round is never rewritten. The result depends on everything recorded about the household,
    so any change since `seen` refuses it."""
    on = on or timezone.localdate()
    plan = rerecord_plan(household=household, on=on)
    if plan is None:
        raise ValidationError(
            {"household": _("Hộ %(code)s chưa có phiếu rà soát.") % {"code": household.code}}
        )
    review = plan.review or regular_round(commune=plan.commune, on=on, may_open=may_open)
    if review is None:
        raise ValidationError(
            {
                "review": _(
                    "Chưa có đợt rà soát thường xuyên đang mở của %(commune)s và tài khoản của bạn không được mở "
                    "đợt mới; hãy nhờ cán bộ xã mở đợt."
                )
                % {"commune": plan.commune.name}
            }
        )
    [recorded] = _record(
        [plan.item(household)], review=review, actor=actor, actor_name=None, single=True, seen=seen,
        relevant=any_change,
    )  # fmt: skip
    return recorded


def assessment_correct(
    *,
    assessment: Assessment,
    actor: Any,
    reason: str,
    seen: Seen | None = None,
    income_per_capita: int | None = None,
    entered: Mapping[str, bool] | None = None,
    income_method: str | None = None,
    b1_score: int | None = None,
    causes: Iterable[int] | None = None,
    reviewer_name: str | None = None,
    dry_run: bool = False,
) -> Assessment:
    """Correct an assessment of a closed round: a new assessment in the same round, on the same date, from the
    registry's facts of that date (corrected since, perhaps) and the corrected survey answers (by default the
    corrected one's), naming what it corrects and why. The corrected assessment stays as it was, no longer in
    force. Only the assessment in force can be corrected; an open round is re-recorded instead. `dry_run`: as
    in `assessment_record`."""
    reason = " ".join((reason or "").split())
    problems: Problems = {}
    if not reason:
        add(problems, "reason", _("Hãy ghi lý do đính chính."))
    elif len(reason) > 1000:
        add(problems, "reason", _("Lý do đính chính dài quá 1000 ký tự."))
    raise_if_any(problems)
    item = AssessmentInput(
        household=assessment.household,
        assessed_on=assessment.assessed_on,
        income_per_capita=assessment.income_per_capita if income_per_capita is None else income_per_capita,
        entered=entered_flags(assessment) if entered is None else entered,
        income_method=assessment.income_method if income_method is None else income_method,
        b1_score=assessment.b1_score if b1_score is None else b1_score,
        causes=causes_of(assessment) if causes is None else tuple(causes),
        reviewer_name=assessment.reviewer_name if reviewer_name is None else reviewer_name,
    )
    [recorded] = _record(
        [item], review=assessment.review, actor=actor, actor_name=None, single=True, seen=seen,
        correcting=(assessment, reason), dry_run=dry_run,
    )  # fmt: skip
    return recorded


def entered_flags(assessment: Assessment) -> dict[str, bool]:
    """The deprivation flags the reviewer entered on a stored assessment, by indicator code."""
    catalogue = load_catalogue()
    return {
        code: bool(assessment.entered_mask >> indicator.bit & 1)
        for code, indicator in catalogue.items()
        if assessment.entered_known_mask >> indicator.bit & 1
    }


def causes_of(assessment: Assessment) -> list[int]:
    """The causes of poverty recorded on a stored assessment."""
    return [cause for cause in Cause.values if assessment.causes_mask >> cause & 1]


def assessments_bulk_record(
    items: Sequence[AssessmentInput],
    *,
    review: Review,
    actor: Any,
    actor_name: str | None = None,
    historical: bool = False,
) -> int:
    """Record many assessments in one review, as `assessment_record` per item: same validation (all problems
    raised together, each naming its row), same facts, same events, written set-based. The classes come from the
    engine's batch classifier over the same facts and the explanations from the engine's `explain` (see
    `classify_many`); the tests prove the result equals the single path's. Returns the number recorded.

    A closed round is refused, except with `historical` (importing the records of a past round): then each
    household's first assessment in the round may be added, and one that already has an assessment there is
    refused (never replaced)."""
    return len(
        _record(items, review=review, actor=actor, actor_name=actor_name, single=False, historical=historical)
    )


# A new assessment conflicts with another assessment or a save of the household since the caller's copy.
_ASSESSMENTS = of_kind(EventKind.ASSESSED)


def _refuse_locked(review: Review, communes: set[int]) -> None:
    """A commune's results of a round that are submitted or approved take no new or corrected survey result until
    the level above unlocks them (`decisions.approval`)."""
    from giamngheo.decisions.approval import locked_communes, refuse_if_locked

    hit = sorted(communes & locked_communes(review))
    if hit:
        refuse_if_locked(review, AdminUnit.objects.get(pk=hit[0]))


def _record(
    items: Sequence[AssessmentInput],
    *,
    review: Review,
    actor: Any,
    actor_name: str | None,
    single: bool,
    seen: Seen | None = None,
    relevant: Relevant = _ASSESSMENTS,
    historical: bool = False,
    correcting: tuple[Assessment, str] | None = None,
    dry_run: bool = False,
) -> list[Assessment]:
    context = EventContext.for_actor(actor, actor_name)
    standard = _standard_of(review)
    today = timezone.localdate()
    closed = review.is_closed_on(today)
    if closed and correcting is None and not historical:
        raise ClosedRoundError(review)
    if correcting is not None and not closed:
        raise ValidationError(
            {
                "review": _(
                    "Đợt «%(review)s» còn mở đến hết ngày %(date)s: hãy ghi lại phiếu thay vì đính chính."
                )
                % {"review": review.name, "date": vn_date(review.reference_date)}
            }
        )
    area_communes = commune_ids_within(review.area)
    with transaction.atomic():
        ids = sorted({item.household.pk for item in items})
        fresh: dict[int, Household] = {}
        for start in range(0, len(ids), 5_000):
            chunk = ids[start : start + 5_000]
            fresh.update(
                Household.objects.select_for_update(of=("self",))
                .select_related("commune", "village")
                .in_bulk(chunk)
            )
        existing: dict[int, Assessment] = {}
        for start in range(0, len(ids), 5_000):
            chunk = ids[start : start + 5_000]
            rows = Assessment.objects.select_for_update().filter(
                review=review, household_id__in=chunk, superseded=False
            )
            existing.update({a.household_id: a for a in rows})
        prepared: list[_Prepared] = []
        errors: list[str] = []
        listed: set[int] = set()
        for number, item in enumerate(items, start=1):
            household = fresh[item.household.pk]
            if single:
                refuse_if_stale(household, seen, relevant)
            item = replace(item, household=household)
            entry = _check_item(item, review, today, area_communes)
            if household.pk in listed:
                add(
                    entry.problems,
                    "household",
                    _("Hộ %(code)s xuất hiện hai lần trong cùng đợt rà soát.") % {"code": household.code},
                )
            listed.add(household.pk)
            in_force = existing.get(household.pk)
            if correcting is not None and (in_force is None or in_force.pk != correcting[0].pk):
                add(
                    entry.problems,
                    "assessment",
                    _(
                        "Phiếu này đã được đính chính bằng một phiếu khác; hãy đính chính phiếu đang có hiệu lực."
                    ),
                )
            elif closed and correcting is None and in_force is not None:
                add(
                    entry.problems,
                    "household",
                    _("Hộ %(code)s đã có phiếu trong đợt đã chốt «%(review)s»; kết quả đó không được ghi đè.")
                    % {"code": household.code, "review": review.name},
                )
            if single:
                raise_if_any(entry.problems)
            prefix = _("Dòng %(number)s (hộ %(code)s)") % {"number": number, "code": household.code}
            errors.extend(row_messages(prefix, entry.problems))
            prepared.append(entry)
        if errors:
            raise ValidationError(errors)
        facts = facts_for_households([entry.request for entry in prepared])
        commune_at = _CommuneAt()
        creates: list[Assessment] = []
        updates: list[Assessment] = []
        events: list[HouseholdEvent] = []
        results = (
            [classify_household(standard, facts[0], value_labels=recorded_labels())]
            if single
            else classify_many(standard, facts)
        )
        for entry, household_facts, result in zip(prepared, facts, results, strict=True):
            household = entry.item.household
            previous = existing.get(household.pk)
            before = _event_snapshot(previous, _safe_standard(previous.standard_id)) if previous else None
            assessment = Assessment() if previous is None or correcting is not None else previous
            (updates if assessment is previous else creates).append(assessment)
            _apply(
                assessment,
                entry,
                result,
                review=review,
                commune=commune_at(household, entry.item.assessed_on),
                context=context,
                facts_json=facts_to_json(household_facts),
                member_count=len(household_facts.members),
            )
            note = ""
            with translation.override(settings.LANGUAGE_CODE):  # stored: in the site's language
                if correcting is not None and previous is not None:
                    assessment.corrects = previous
                    assessment.correction_reason = correcting[1]
                    note = _(
                        "Đính chính phiếu rà soát ngày %(date)s của đợt đã chốt «%(review)s». Lý do: %(reason)s. "
                    ) % {
                        "date": vn_date(previous.assessed_on),
                        "review": review.name,
                        "reason": correcting[1],
                    }
                elif closed and historical:
                    note = _("Nhập phiếu của đợt đã chốt (dữ liệu lịch sử). ")
            events.append(_assessed_event(context, assessment, before, standard, review, note=note))
        _refuse_locked(review, {a.commune_id for a in creates + updates})
        if dry_run:
            return creates + updates
        ensure_standard_row(standard)
        if correcting is not None:
            # The corrected assessment's result is kept as it was; it only stops being the one in force.
            Assessment.objects.filter(pk=correcting[0].pk).update(superseded=True)
        insert_rows(Assessment, creates)
        update_rows(Assessment, updates, _STORED_FIELDS)
        insert_rows(HouseholdEvent, events)
    if not single:
        return creates + updates
    household = prepared[0].item.household
    return [Assessment.objects.get(review=review, household=household, superseded=False)]


def classify_many(standard: Standard, facts: Sequence[HouseholdFacts]) -> list[Classification]:
    """The scalar engine's `Classification` (with its explanation) for many households at once: the indicators
    from `engine.batch.classify_frame`, then each household's result rebuilt from those masks and explained by
    the engine (`classification_from_masks`). About a hundred times faster than calling `classify_household`
    per household (whose per-member fact dictionaries dominate its cost), and equal to it."""
    if not facts:
        return []
    households, members = facts_to_frames(facts)
    columns = ["deprivation_mask", "derived_mask", "derivable_mask", "conflict_mask", "missing_mask"]
    rows = classify_frame(standard, households, members).sort("household_id").select(columns).rows()
    labels = recorded_labels()
    return [
        classification_from_masks(
            standard,
            household,
            deprived=deprived,
            derived=derived,
            derivable=derivable,
            conflict=conflict,
            missing=missing,
            value_labels=labels,
        )
        for household, (deprived, derived, derivable, conflict, missing) in zip(facts, rows, strict=True)
    ]


def _safe_standard(code: str) -> Standard | None:
    try:
        return get_standard(code)
    except StandardError:
        return None


_STORED_FIELDS = [
    f.name
    for f in Assessment._meta.concrete_fields
    if not f.primary_key and f.name not in {"review", "household"}
]


__all__ = [
    "AssessmentInput",
    "assessment_correct",
    "assessment_record",
    "assessment_rerecord",
    "assessments_bulk_record",
    "causes_of",
    "classify_many",
    "entered_flags",
    "lists_effective_year",
    "regular_round",
    "rerecord_plan",
    "rerecord_standard",
    "review_open",
]
