"""Approval and locking of a commune's results of a round (`models.Approval`).

States, read from the latest step: "draft" (nothing yet, or unlocked), "submitted", "approved". A commune officer
of the commune submits once the chairman's decision is recorded; province staff (or an administrator) covering the
commune approve a submitted result, which locks it: no decision and no correction of that round's results in that
commune is recorded — nor any survey result of that round in that commune, new or corrected
(`reviews.services`) — until the level above unlocks it, giving a reason. Each step checks the actor's role and area
(deny by default) and locks the round's row, so two steps cannot cross.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.accounts.models import Role
from giamngheo.accounts.scope import scope_for
from giamngheo.areas.models import AdminUnit
from giamngheo.decisions.models import Approval, ApprovalAction, Decision
from giamngheo.registry.history import actor_display_name, actor_user
from giamngheo.reviews.models import Review
from giamngheo.reviews.stats import area_label

DECIDERS = {Role.COMMUNE.value, Role.ADMIN.value}  # record the chairman's decision, submit
APPROVERS = {Role.PROVINCE.value, Role.ADMIN.value}  # approve, unlock

DRAFT = "draft"
LOCKED_STATES = {ApprovalAction.SUBMITTED.value, ApprovalAction.APPROVED.value}


def approval_state(review: Review, commune: AdminUnit) -> str:
    """ "draft", "submitted" or "approved" (an unlocked result is a draft again)."""
    last = Approval.objects.filter(review=review, commune=commune).order_by("at", "id").last()
    if last is None or last.action == ApprovalAction.UNLOCKED:
        return DRAFT
    return last.action


def locked_communes(review: Review) -> set[int]:
    """The communes whose results of `review` are submitted or approved now. One query."""
    last: dict[int, str] = {}
    for commune_id, action in (
        Approval.objects.filter(review=review).order_by("at", "id").values_list("commune_id", "action")
    ):
        last[commune_id] = action
    return {commune_id for commune_id, action in last.items() if action in LOCKED_STATES}


def refuse_if_locked(review: Review, commune: AdminUnit) -> None:
    """The results are submitted or approved: nothing of them is recorded again until the level above unlocks."""
    state = approval_state(review, commune)
    if state in LOCKED_STATES:
        raise ValidationError(
            {"review": _("Kết quả đợt «%(review)s» của %(commune)s đã %(state)s: chỉ cấp trên mở khoá (nêu lý do) "
                         "thì mới được ghi lại.")
             % {"review": review.name, "commune": area_label(commune),
                "state": _("trình cấp trên") if state == ApprovalAction.SUBMITTED else _("được phê duyệt")}},
            code="locked",
        )  # fmt: skip


def may_act(actor: Any, commune: AdminUnit, roles: set[str]) -> None:
    """Refuse an account whose role is not among `roles` or whose area does not cover `commune`. A call with no
    account (`actor` None: the system, the demo's generator) is the program's own and is not checked."""
    if actor is None:
        return
    scope = scope_for(actor)
    if scope.role not in roles or scope.communes_readable(commune) is None:
        raise PermissionDenied(_("Tài khoản của bạn không được thực hiện bước này cho %(commune)s.")
                               % {"commune": area_label(commune)})  # fmt: skip


@transaction.atomic
def _step(
    review: Review, commune: AdminUnit, action: str, actor: Any, reason: str, allowed_from: set[str]
) -> Approval:
    Review.objects.select_for_update().get(pk=review.pk)
    state = approval_state(review, commune)
    if state not in allowed_from:
        raise ValidationError({"review": _("Không thể «%(action)s» khi kết quả đang ở trạng thái «%(state)s».")
                               % {"action": ApprovalAction(action).label, "state": state_label(state)}})  # fmt: skip
    return Approval.objects.create(
        review=review, commune=commune, action=action, reason=reason, actor=actor_user(actor),
        actor_name=actor_display_name(actor), at=timezone.now(),
    )  # fmt: skip


def state_label(state: str) -> str:
    return str(_("Chưa trình") if state == DRAFT else ApprovalAction(state).label)


def round_submit(*, review: Review, commune: AdminUnit, actor: Any) -> Approval:
    """The commune submits its results of the round (its chairman's decision recorded) to the level above."""
    may_act(actor, commune, DECIDERS)
    if not Decision.objects.filter(review=review, commune=commune).exists():
        raise ValidationError({"review": _("Chưa có quyết định công nhận của %(commune)s cho đợt «%(review)s»: hãy "
                               "ghi quyết định trước khi trình.") % {"commune": area_label(commune),
                                                                      "review": review.name}})  # fmt: skip
    return _step(review, commune, ApprovalAction.SUBMITTED, actor, "", {DRAFT})


def round_approve(*, review: Review, commune: AdminUnit, actor: Any) -> Approval:
    """The level above approves a submitted result: it is locked."""
    may_act(actor, commune, APPROVERS)
    return _step(review, commune, ApprovalAction.APPROVED, actor, "", {ApprovalAction.SUBMITTED.value})


def round_unlock(*, review: Review, commune: AdminUnit, actor: Any, reason: str) -> Approval:
    """The level above sends a submitted or approved result back, with a reason: a draft again."""
    may_act(actor, commune, APPROVERS)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Nêu lý do mở khoá.")})
    return _step(review, commune, ApprovalAction.UNLOCKED, actor, reason, LOCKED_STATES)


def area_approved(decisions: list[Decision]) -> bool:
    """Every decision behind a report's lists has its round approved (False when there is none). One query."""
    if not decisions:
        return False
    pairs = {(d.review_id, d.commune_id) for d in decisions}
    last: dict[tuple[int, int], str] = {}
    for review_id, commune_id, action in (
        Approval.objects.filter(review_id__in={r for r, _c in pairs}, commune_id__in={c for _r, c in pairs})
        .order_by("at", "id")
        .values_list("review_id", "commune_id", "action")
    ):
        last[(review_id, commune_id)] = action
    return all(last.get(pair) == ApprovalAction.APPROVED for pair in pairs)
