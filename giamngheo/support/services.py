"""Recording support: the one write path of the ledger (`models` says what it holds).

Every service is keyword-only, checks the account (a commune officer or an administrator whose area holds the
household; None is the program's own call), locks the household's row so that two entries of one household are
written one at a time, collects the problems per field in Vietnamese and writes nothing unless all is right, and
records who and when.

- `support_event_record`: one support received. The kind's rule in force on the day decides, from the household's
  official status that day (`decisions.status`), whether it is covered; a refusal names the household, its status
  that day and the rule. The state-budget amount defaults to the rule's amount per household.
- `support_event_correct` / `support_event_cancel`: a wrong entry is replaced by a new attributed entry, or
  withdrawn, each with a reason; the entry itself is never changed.
- `housing_case_open` / `housing_step_record`: a housing support from approval (which records its support entry)
  to building, completion and hand-over, each step dated and attributed, in that order only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.accounts.models import Role
from giamngheo.accounts.scope import scope_for
from giamngheo.decisions.status import escaped_from, status_history
from giamngheo.programme.models import Allocation, ProgrammeItem
from giamngheo.registry.history import actor_display_name, actor_user
from giamngheo.registry.models import Household, HouseholdStatus, Membership, Person
from giamngheo.registry.validation import Problems, add, raise_if_any, vn_date
from giamngheo.reviews.models import PovertyClass
from giamngheo.reviews.rounds import household_commune_on
from giamngheo.support.eligibility import Eligibility, Standing, evaluate
from giamngheo.support.models import (
    HOUSING_ORDER,
    HousingCase,
    HousingStage,
    HousingStep,
    SupportCancellation,
    SupportEvent,
    SupportKind,
    SupportRule,
)

WRITERS = {Role.COMMUNE.value, Role.ADMIN.value}
MAX_AMOUNT = 10**12  # đồng: far above any support to one household, inside a 64-bit column
AMOUNT_FIELDS = ("state_budget", "bank_loan", "mobilised")
# What a correction takes over from the entry it corrects unless given anew.
CARRIED = (
    "person", "kind", "occurred_on", "description", *AMOUNT_FIELDS, "reference", "housing_case", "project",
    "allocation",
)  # fmt: skip


def household_label(household: Household) -> str:
    """ "H-1 (Đinh Văn Súy)": the code and, when there is one, the head's name."""
    head = household.head.full_name if household.head_id and household.head else ""
    return f"{household.code} ({head})" if head else household.code


def may_write(actor: Any, household: Household) -> None:
    """Refuse an account that may not record support for `household` (role or area); None is the program."""
    if actor is None:
        return
    scope = scope_for(actor)
    inside = Household.objects.filter(scope.households_q(), pk=household.pk).exists()
    if scope.role not in WRITERS or not inside:
        raise PermissionDenied(
            _("Tài khoản của bạn không được ghi hỗ trợ cho hộ %(household)s.") % {"household": household.code}
        )


def rule_on(kind: SupportKind, day: date) -> SupportRule | None:
    """The rule of `kind` in force on `day` (of two starting before it, the later)."""
    return (
        SupportRule.objects.filter(kind=kind, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from")
        .first()
    )


def standing_on(household: Household, day: date) -> Standing:
    """The household's official status on `day` and, off the lists, the day it left them."""
    periods = status_history(household.pk)
    current = next((p for p in reversed(periods) if p.valid_from <= day), None)
    status = current.row.status if current is not None else None
    # The day it left the lists whenever that was: each rule applies its own window (`eligibility.evaluate`).
    return Standing(status, escaped_from(periods, day, years=day.year - 1))


def standing_text(standing: Standing) -> str:
    if standing.status is None:
        return _("chưa có tên trong danh sách hộ nghèo, hộ cận nghèo")
    label = str(PovertyClass(standing.status).label)
    if standing.left_lists_on is not None:
        return _("%(status)s (ra khỏi danh sách từ %(day)s)") % {
            "status": label,
            "day": vn_date(standing.left_lists_on),
        }
    return label


@dataclass(frozen=True)
class Checked:
    rule: SupportRule
    standing: Standing
    eligibility: Eligibility


def _check(
    problems: Problems,
    *,
    household: Household,
    person: Person | None,
    kind: SupportKind,
    occurred_on: date,
    amounts: dict[str, int],
    today: date,
) -> Checked | None:
    """Add every problem of an entry to `problems`; the rule and standing when the kind and day are right."""
    if occurred_on > today:
        add(problems, "occurred_on", _("Ngày hỗ trợ %(date)s chưa đến.") % {"date": vn_date(occurred_on)})
    if household.registered_on is not None and occurred_on < household.registered_on:
        add(problems, "occurred_on", _("Hộ %(household)s đăng ký ngày %(registered)s, sau ngày hỗ trợ %(date)s.")
            % {"household": household.code, "registered": vn_date(household.registered_on),
               "date": vn_date(occurred_on)})  # fmt: skip
    if (
        household.status == HouseholdStatus.CLOSED
        and household.closed_on
        and occurred_on >= household.closed_on
    ):
        add(problems, "occurred_on", _("Hộ %(household)s đã đóng từ ngày %(closed)s.")
            % {"household": household.code, "closed": vn_date(household.closed_on)})  # fmt: skip
    for name, value in amounts.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0 or value > MAX_AMOUNT:
            add(
                problems,
                name,
                _("Số tiền phải là số nguyên đồng, từ 0 đến %(max)s.") % {"max": f"{MAX_AMOUNT:,}"},
            )
    if person is not None:
        member = any(
            m.is_current_on(occurred_on)
            for m in Membership.objects.filter(household=household, person=person)
        )
        if not member:
            add(problems, "person", _("%(name)s không phải thành viên của hộ %(household)s ngày %(date)s.")
                % {"name": person.full_name, "household": household.code, "date": vn_date(occurred_on)})  # fmt: skip
    if not kind.active:
        add(problems, "kind", _("Loại hỗ trợ «%(kind)s» không còn dùng.") % {"kind": kind.name})
    rule = rule_on(kind, occurred_on)
    if rule is None:
        add(problems, "kind", _("Chưa có quy định đối tượng của loại hỗ trợ «%(kind)s» áp dụng ngày %(date)s.")
            % {"kind": kind.name, "date": vn_date(occurred_on)})  # fmt: skip
        return None
    standing = standing_on(household, occurred_on)
    eligibility = evaluate(rule, standing, occurred_on)
    if not eligibility.eligible:
        add(problems, "kind", _("Hộ %(household)s không thuộc diện được hỗ trợ «%(kind)s» ngày %(date)s: tình "
            "trạng của hộ ngày đó là «%(standing)s», còn quy định áp dụng từ %(since)s chỉ hỗ trợ %(covered)s.")
            % {"household": household_label(household), "kind": kind.name, "date": vn_date(occurred_on),
               "standing": standing_text(standing), "since": vn_date(rule.valid_from),
               "covered": eligibility.covered})  # fmt: skip
    return Checked(rule, standing, eligibility)


def _lock(household: Household) -> Household:
    # No join here: PostgreSQL refuses FOR UPDATE on the nullable side of an outer join (the head).
    return Household.objects.select_for_update().get(pk=household.pk)


def _amounts(
    state_budget: int | None, bank_loan: int, mobilised: int, rule: SupportRule | None
) -> dict[str, int]:
    if state_budget is None:
        state_budget = (rule.default_state_amount or 0) if rule is not None else 0
    return {"state_budget": state_budget, "bank_loan": bank_loan, "mobilised": mobilised}


def _write(
    *,
    household: Household,
    checked: Checked,
    values: dict[str, Any],
    actor: Any,
    actor_name: str | None,
    corrects: SupportEvent | None = None,
    reason: str = "",
) -> SupportEvent:
    place = household_commune_on(household, values["occurred_on"])
    return SupportEvent.objects.create(
        household=household, commune=place, village=household.village, rule=checked.rule,
        standing=checked.eligibility.basis, corrects=corrects, reason=reason,
        recorded_by=actor_user(actor), recorded_by_name=actor_display_name(actor, actor_name),
        recorded_at=timezone.now(), **values,
    )  # fmt: skip


@transaction.atomic
def support_event_record(
    *,
    household: Household,
    kind: SupportKind,
    occurred_on: date,
    actor: Any,
    person: Person | None = None,
    description: str = "",
    state_budget: int | None = None,
    bank_loan: int = 0,
    mobilised: int = 0,
    reference: str = "",
    actor_name: str | None = None,
    today: date | None = None,
    housing_case: HousingCase | None = None,
    project: ProgrammeItem | None = None,
    allocation: Allocation | None = None,
) -> SupportEvent:
    """Record one support `household` (or its member `person`) received on `occurred_on`. `state_budget` None:
    the rule's default amount per household (0 when it has none). Refused when the household is not covered by
    the kind's rule on that day. A housing kind is recorded through `housing_case_open`. `allocation` (and its
    project) names the programme money it was paid from: an allocation of the year of the support."""
    may_write(actor, household)
    household = _lock(household)
    today = today or timezone.localdate()
    problems: Problems = {}
    if kind.housing and housing_case is None:
        add(
            problems,
            "kind",
            _("Hỗ trợ nhà ở được ghi bằng hồ sơ nhà ở (phê duyệt, thi công, hoàn thành, bàn giao)."),
        )
    rule = rule_on(kind, occurred_on)
    amounts = _amounts(state_budget, bank_loan, mobilised, rule)
    checked = _check(
        problems, household=household, person=person, kind=kind, occurred_on=occurred_on, amounts=amounts,
        today=today,
    )  # fmt: skip
    project = _check_programme(problems, project, allocation, occurred_on)
    raise_if_any(problems)
    assert checked is not None
    values = {
        "person": person, "kind": kind, "occurred_on": occurred_on, "description": description.strip(),
        "reference": reference.strip(), "housing_case": housing_case, "project": project,
        "allocation": allocation, **amounts,
    }  # fmt: skip
    return _write(household=household, checked=checked, values=values, actor=actor, actor_name=actor_name)


def _check_programme(
    problems: Problems, project: ProgrammeItem | None, allocation: Allocation | None, occurred_on: date
) -> ProgrammeItem | None:
    """The project the support was paid from: the allocation's when one is named (which must be of the year of
    the support and of that project)."""
    if allocation is None:
        return project
    if allocation.year != occurred_on.year:
        add(problems, "allocation", _("Khoản vốn năm %(year)s không dùng cho hỗ trợ ngày %(day)s.")
            % {"year": allocation.year, "day": f"{occurred_on:%d/%m/%Y}"})  # fmt: skip
    if project is not None and project.pk != allocation.item_id:
        add(problems, "project", _("Khoản vốn đã chọn thuộc dự án khác."))
    return allocation.item


def _refuse_if_not_in_force(problems: Problems, event: SupportEvent) -> None:
    if SupportEvent.objects.filter(corrects=event).exists():
        add(problems, "event", _("Mục này đã được đính chính; hãy đính chính hoặc huỷ mục mới nhất."))
    if SupportCancellation.objects.filter(event=event).exists():
        add(problems, "event", _("Mục này đã bị huỷ."))


@transaction.atomic
def support_event_correct(
    *,
    event: SupportEvent,
    reason: str,
    actor: Any,
    actor_name: str | None = None,
    today: date | None = None,
    **changes: Any,
) -> SupportEvent:
    """Replace a wrong entry by a new one with `changes` (any of `CARRIED`) and a reason; the old entry stays,
    marked corrected. The new entry is checked like a new one (rule and status on its day)."""
    unknown = sorted(set(changes) - set(CARRIED) - {"housing_case"})
    if unknown or "housing_case" in changes:
        raise TypeError(f"support_event_correct: unknown field(s) {', '.join(unknown) or 'housing_case'}")
    household = event.household
    may_write(actor, household)
    household = _lock(household)
    today = today or timezone.localdate()
    problems: Problems = {}
    _refuse_if_not_in_force(problems, event)
    if not reason.strip():
        add(problems, "reason", _("Nêu lý do đính chính."))
    values = {name: getattr(event, name) for name in CARRIED}
    values.update(changes)
    kind: SupportKind = values["kind"]
    if event.housing_case_id is not None and kind.pk != event.kind_id:
        add(
            problems, "kind", _("Không đổi được loại hỗ trợ của hồ sơ nhà ở; hãy huỷ hồ sơ và lập hồ sơ mới.")
        )
    elif event.housing_case_id is None and kind.housing:
        add(
            problems,
            "kind",
            _("Hỗ trợ nhà ở được ghi bằng hồ sơ nhà ở (phê duyệt, thi công, hoàn thành, bàn giao)."),
        )
    values["description"] = str(values["description"] or "").strip()
    values["reference"] = str(values["reference"] or "").strip()
    checked = _check(
        problems, household=household, person=values["person"], kind=kind, occurred_on=values["occurred_on"],
        amounts={name: values[name] for name in AMOUNT_FIELDS}, today=today,
    )  # fmt: skip
    raise_if_any(problems)
    assert checked is not None
    return _write(
        household=household, checked=checked, values=values, actor=actor, actor_name=actor_name, corrects=event,
        reason=reason.strip(),
    )  # fmt: skip


@transaction.atomic
def support_event_cancel(
    *, event: SupportEvent, reason: str, actor: Any, actor_name: str | None = None
) -> SupportCancellation:
    """Withdraw a wrong entry (recorded by mistake, support not given), with a reason. A housing case whose entry
    is withdrawn is cancelled."""
    may_write(actor, event.household)
    _lock(event.household)
    problems: Problems = {}
    _refuse_if_not_in_force(problems, event)
    if not reason.strip():
        add(problems, "reason", _("Nêu lý do huỷ."))
    raise_if_any(problems)
    return SupportCancellation.objects.create(
        event=event, reason=reason.strip(), recorded_by=actor_user(actor),
        recorded_by_name=actor_display_name(actor, actor_name), recorded_at=timezone.now(),
    )  # fmt: skip


# Housing cases ---------------------------------------------------------------------------------------------------


def case_event(case: HousingCase) -> SupportEvent | None:
    """The case's support entry in force (None: the case was cancelled)."""
    return SupportEvent.objects.in_force().filter(housing_case=case).first()


def case_stage(case: HousingCase) -> str | None:
    """The latest step of the case (None before any)."""
    last = HousingStep.objects.filter(case=case).order_by("-on", "-id").first()
    return last.stage if last is not None else None


@transaction.atomic
def housing_case_open(
    *,
    household: Household,
    work: str,
    approved_on: date,
    actor: Any,
    state_budget: int | None = None,
    bank_loan: int = 0,
    mobilised: int = 0,
    reference: str = "",
    description: str = "",
    actor_name: str | None = None,
    today: date | None = None,
) -> HousingCase:
    """Open a housing case approved on `approved_on`: its first step ("approved") and its support entry, checked
    against the housing rule in force that day; the state-budget amount defaults to the rule's (40,000,000 đồng
    new build, 20,000,000 đồng repair, editable)."""
    may_write(actor, household)
    household = _lock(household)
    kind = SupportKind.objects.filter(housing=work).first()
    if kind is None:
        raise ValidationError({"work": _("Chưa có loại hỗ trợ nhà ở «%(work)s».") % {"work": work}})
    open_cases = [
        case
        for case in HousingCase.objects.filter(household=household, work=work)
        if case_event(case) is not None and case_stage(case) != HousingStage.HANDED_OVER
    ]
    if open_cases:
        raise ValidationError({"work": _("Hộ %(household)s đã có hồ sơ «%(work)s» chưa bàn giao.")
                               % {"household": household.code, "work": kind.name}})  # fmt: skip
    case = HousingCase.objects.create(
        household=household, work=work, commune=household_commune_on(household, approved_on),
        village=household.village, recorded_by=actor_user(actor),
        recorded_by_name=actor_display_name(actor, actor_name), recorded_at=timezone.now(),
    )  # fmt: skip
    support_event_record(
        household=household, kind=kind, occurred_on=approved_on, actor=actor, state_budget=state_budget,
        bank_loan=bank_loan, mobilised=mobilised, reference=reference, description=description,
        actor_name=actor_name, today=today, housing_case=case,
    )  # fmt: skip
    HousingStep.objects.create(
        case=case, stage=HousingStage.APPROVED, on=approved_on, note=reference.strip(),
        recorded_by=case.recorded_by, recorded_by_name=case.recorded_by_name, recorded_at=case.recorded_at,
    )  # fmt: skip
    return case


@transaction.atomic
def housing_step_record(
    *,
    case: HousingCase,
    stage: str,
    on: date,
    actor: Any,
    note: str = "",
    actor_name: str | None = None,
    today: date | None = None,
) -> HousingStep:
    """Record the next step of a housing case: building after approval, completion after building, hand-over after
    completion; each on or after the day of the step before it, never in the future."""
    may_write(actor, case.household)
    _lock(case.household)
    today = today or timezone.localdate()
    problems: Problems = {}
    steps = list(HousingStep.objects.filter(case=case).order_by("on", "id"))
    done = [step.stage for step in steps]
    expected = HOUSING_ORDER[len(done)] if len(done) < len(HOUSING_ORDER) else None
    if stage not in HOUSING_ORDER:
        add(problems, "stage", _("Không có bước «%(stage)s».") % {"stage": stage})
    elif case_event(case) is None:
        add(problems, "stage", _("Hồ sơ đã bị huỷ."))
    elif expected is None:
        add(problems, "stage", _("Hồ sơ đã bàn giao; không còn bước nào."))
    elif stage != expected:
        add(problems, "stage", _("Bước tiếp theo của hồ sơ là «%(expected)s», không phải «%(stage)s».")
            % {"expected": HousingStage(expected).label, "stage": HousingStage(stage).label})  # fmt: skip
    if on > today:
        add(problems, "on", _("Ngày %(date)s chưa đến.") % {"date": vn_date(on)})
    if steps and on < steps[-1].on:
        add(problems, "on", _("Ngày %(date)s trước ngày của bước «%(previous)s» (%(previous_date)s).")
            % {"date": vn_date(on), "previous": steps[-1].get_stage_display(),
               "previous_date": vn_date(steps[-1].on)})  # fmt: skip
    raise_if_any(problems)
    return HousingStep.objects.create(
        case=case, stage=stage, on=on, note=note.strip(), recorded_by=actor_user(actor),
        recorded_by_name=actor_display_name(actor, actor_name), recorded_at=timezone.now(),
    )  # fmt: skip
