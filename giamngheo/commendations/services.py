"""Recording, correcting and withdrawing a commendation: the one write path of `Commendation` (`models`).

Each write is attributed (who, when) and append-only. A correction or a withdrawal names the row in force it
replaces and gives a reason; naming a row that has been replaced meanwhile (a stale copy) is refused with
`StaleCommendationError`, and the replaced row is locked so two writers cannot both replace it. Province staff,
commune officers and administrators write within their area (`approval.may_act`); a correction that moves a
commendation to another area needs both areas.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.accounts.models import Role
from giamngheo.areas.models import AdminUnit
from giamngheo.areas.selectors import commune_ids_within
from giamngheo.commendations.models import Commendation, Movement, RecipientType
from giamngheo.decisions.approval import may_act
from giamngheo.registry.history import actor_display_name, actor_user
from giamngheo.registry.models import Household, Membership, Person
from giamngheo.registry.validation import Problems, add, raise_if_any, vn_date

WRITERS = {Role.PROVINCE.value, Role.COMMUNE.value, Role.ADMIN.value}


class StaleCommendationError(ValidationError):
    """The row named has been corrected or withdrawn since the caller read it."""

    def __init__(self, replaced_by: Commendation) -> None:
        self.replaced_by = replaced_by
        super().__init__(
            _(
                "Bản ghi khen thưởng này đã được %(who)s đính chính hoặc thu hồi lúc %(when)s: hãy mở lại bản mới."
            )
            % {
                "who": replaced_by.recorded_by_name,
                "when": timezone.localtime(replaced_by.recorded_at).strftime("%H:%M %d/%m/%Y"),
            },
            code="stale",
        )


@dataclass(frozen=True)
class CommendationInput:
    """What an officer records of one recipient of a commendation decision."""

    area: AdminUnit
    year: int
    decision_number: str
    decision_date: date
    authority: str
    recipient_type: str
    recipient_name: str
    achievement: str
    movement: Movement | None = None
    award: str = ""
    household: Household | None = None
    person: Person | None = None


def _clean(data: CommendationInput, today: date) -> tuple[dict[str, Any], Problems]:
    problems: Problems = {}
    number, authority = data.decision_number.strip(), data.authority.strip()
    name, achievement = data.recipient_name.strip(), data.achievement.strip()
    if not 2000 <= data.year <= 2100:
        add(problems, "year", _("Năm phải từ 2000 đến 2100."))
    if not number:
        add(problems, "decision_number", _("Nhập số quyết định khen thưởng."))
    if data.decision_date > today:
        add(
            problems,
            "decision_date",
            _("Ngày quyết định %(date)s chưa đến.") % {"date": vn_date(data.decision_date)},
        )
    elif data.decision_date.year not in {data.year, data.year + 1}:
        # A year's commendations are decided in that year or at its summary early the next (the seed: 24/01/2024).
        add(problems, "decision_date", _("Quyết định ngày %(date)s không phải khen thưởng của năm %(year)s.")
            % {"date": vn_date(data.decision_date), "year": data.year})  # fmt: skip
    if not authority:
        add(problems, "authority", _("Nêu cơ quan hoặc người ra quyết định khen thưởng."))
    if data.recipient_type not in RecipientType.values:
        add(problems, "recipient_type", _("Chọn tập thể, cá nhân hoặc hộ gia đình."))
    if data.household is not None and data.recipient_type != RecipientType.HOUSEHOLD:
        add(problems, "household", _("Chỉ khen thưởng hộ gia đình mới gắn với một hộ trong sổ hộ."))
    if data.person is not None and data.recipient_type != RecipientType.INDIVIDUAL:
        add(problems, "person", _("Chỉ khen thưởng cá nhân mới gắn với một nhân khẩu trong sổ hộ."))
    communes = commune_ids_within(data.area)
    if data.household is not None and data.household.commune_id not in communes:
        add(
            problems,
            "household",
            _("Hộ %(code)s không thuộc địa bàn được khen.") % {"code": data.household.code},
        )
    if data.person is not None:
        if not Membership.objects.filter(
            person=data.person, household__commune_id__in=sorted(communes)
        ).exists():
            add(problems, "person", _("Nhân khẩu này không thuộc hộ nào của địa bàn được khen."))
        name = name or data.person.full_name
    if not name:
        add(problems, "recipient_name", _("Nhập tên tập thể, cá nhân hoặc hộ được khen."))
    if not achievement:
        add(problems, "achievement", _("Nêu thành tích được khen."))
    if data.movement is not None:
        movement = data.movement
        if data.year < movement.start_year or (
            movement.end_year is not None and data.year > movement.end_year
        ):
            add(problems, "movement", _("Năm %(year)s ngoài thời gian của phong trào «%(movement)s».")
                % {"year": data.year, "movement": movement})  # fmt: skip
    values = {
        "area": data.area, "year": data.year, "decision_number": number, "decision_date": data.decision_date,
        "authority": authority, "recipient_type": data.recipient_type, "recipient_name": name,
        "achievement": achievement, "movement": data.movement, "award": data.award.strip(),
        "household": data.household, "person": data.person,
    }  # fmt: skip
    return values, problems


def _stamp(actor: Any) -> dict[str, Any]:
    return {
        "recorded_by": actor_user(actor),
        "recorded_by_name": actor_display_name(actor),
        "recorded_at": timezone.now(),
    }


@transaction.atomic
def commendation_record(*, data: CommendationInput, actor: Any, today: date | None = None) -> Commendation:
    """Record one recipient of a commendation decision in `data.area`."""
    may_act(actor, data.area, WRITERS)
    values, problems = _clean(data, today or timezone.localdate())
    raise_if_any(problems)
    return Commendation.objects.create(**values, **_stamp(actor))


def _lock_in_force(commendation: Commendation, actor: Any) -> Commendation:
    may_act(actor, commendation.area, WRITERS)
    row = Commendation.objects.select_for_update().get(pk=commendation.pk)
    replaced_by = Commendation.objects.filter(corrects=row).first()
    if replaced_by is not None:
        raise StaleCommendationError(replaced_by)
    if row.withdrawn:
        raise ValidationError({"commendation": _("Khen thưởng này đã bị thu hồi.")})
    return row


@transaction.atomic
def commendation_correct(
    *, commendation: Commendation, data: CommendationInput, reason: str, actor: Any, today: date | None = None
) -> Commendation:
    """Replace the row in force `commendation` by `data`, giving a reason."""
    row = _lock_in_force(commendation, actor)
    may_act(actor, data.area, WRITERS)
    values, problems = _clean(data, today or timezone.localdate())
    if not reason.strip():
        add(problems, "reason", _("Nêu lý do đính chính."))
    raise_if_any(problems)
    return Commendation.objects.create(**values, corrects=row, reason=reason.strip(), **_stamp(actor))


@transaction.atomic
def commendation_withdraw(*, commendation: Commendation, reason: str, actor: Any) -> Commendation:
    """Withdraw the row in force `commendation` (a decision revoked, a row recorded by mistake), giving a reason:
    a new row marked withdrawn; the commendation no longer counts."""
    row = _lock_in_force(commendation, actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Nêu lý do thu hồi.")})
    copied = {
        name: getattr(row, name)
        for name in (
            "area", "year", "decision_number", "decision_date", "authority", "recipient_type", "recipient_name",
            "achievement", "movement", "award", "household", "person",
        )
    }  # fmt: skip
    return Commendation.objects.create(
        **copied, corrects=row, withdrawn=True, reason=reason.strip(), **_stamp(actor)
    )
