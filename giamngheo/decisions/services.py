"""Recording a commune chairman's decision: the one write path of the official lists (`models` says what they are).

`decision_record` locks the review round (decisions of one round are written one at a time), checks the decision,
and writes one `OfficialStatus` row for each household of the commune whose status the round's results change,
from the date the decision takes effect: 1 January of the year the lists apply to for a periodic review (QĐ
24/2021 Art. 4: the lists decided at the end of year Y apply in Y + 1), the day of signing for a regular one (Art.
5). The review procedure must have reached the decision (`procedure.readiness`: village meetings, posting,
re-checks of complaints, consultation); a correcting decision follows a decided round and is not asked again. The
statuses come from the round's assessments in force; a household already listed as the round found it
gets no new row. Nothing is written unless everything is right.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.areas.models import AdminUnit, UnitLevel
from giamngheo.areas.selectors import commune_ids_within
from giamngheo.decisions import procedure
from giamngheo.decisions.approval import DECIDERS, may_act, refuse_if_locked
from giamngheo.decisions.models import Decision, OfficialStatus
from giamngheo.decisions.status import statuses_on
from giamngheo.registry.history import actor_display_name, actor_user
from giamngheo.registry.sqlbulk import insert_rows
from giamngheo.registry.validation import Problems, add, raise_if_any
from giamngheo.reviews.models import Assessment, PovertyClass, Review, ReviewKind
from giamngheo.reviews.stats import area_label

LISTED = {PovertyClass.POOR, PovertyClass.NEAR_POOR, PovertyClass.MIDDLE}


def effective_from(review: Review, signed_on: date) -> date:
    """When the lists of `review` take effect (module docstring)."""
    if review.kind == ReviewKind.PERIODIC:
        return date(review.lists_effective_year, 1, 1)
    return signed_on


@transaction.atomic
def decision_record(
    *,
    review: Review,
    commune: AdminUnit,
    number: str,
    signed_on: date,
    signer: str,
    actor: Any,
    actor_name: str | None = None,
    today: date | None = None,
    corrects: Decision | None = None,
    reason: str = "",
) -> Decision:
    """Record the decision of `commune`'s chairman on the results of `review` and the statuses it changes; with
    `corrects`, a decision correcting the one in force (the results as they stand now, from the same day; a
    reason is required). Refused while the commune's results of the round are submitted or approved."""
    today = today or timezone.localdate()
    may_act(actor, commune, DECIDERS)
    review = Review.objects.select_for_update().get(pk=review.pk)
    refuse_if_locked(review, commune)
    number, signer = number.strip(), signer.strip()
    problems: Problems = {}
    if not number:
        add(problems, "number", _("Nhập số quyết định."))
    if not signer:
        add(problems, "signer", _("Nhập họ tên người ký quyết định."))
    if signed_on > today:
        add(problems, "signed_on", _("Ngày ký %(date)s chưa đến.") % {"date": f"{signed_on:%d/%m/%Y}"})
    inside: set[int] = set()
    if commune.level != UnitLevel.COMMUNE:
        add(problems, "commune", _("Quyết định công nhận là của Chủ tịch UBND cấp xã; «%(unit)s» không phải một xã.")
            % {"unit": area_label(commune)})  # fmt: skip
    elif commune.pk not in commune_ids_within(review.area):
        add(problems, "commune", _("%(commune)s không thuộc địa bàn của đợt «%(review)s».")
            % {"commune": area_label(commune), "review": review.name})  # fmt: skip
    else:
        inside = commune_ids_within(commune)
    in_force = Decision.objects.filter(review=review, commune=commune).order_by("-recorded_at", "-id").first()
    if corrects is not None:
        if in_force is None or corrects.pk != in_force.pk:
            add(problems, "corrects", _("Chỉ đính chính được quyết định đang có hiệu lực của đợt này."))
        if not reason.strip():
            add(problems, "reason", _("Nêu lý do đính chính quyết định."))
    earlier = Decision.objects.filter(review=review, commune=commune, corrects__isnull=True).first()
    if earlier is not None and corrects is None:
        add(problems, "review", _("%(commune)s đã có quyết định %(number)s cho đợt «%(review)s»; kết quả đã quyết "
            "định không được ghi lại.") % {"commune": area_label(commune), "number": earlier, "review": review.name})  # fmt: skip
    results = list(
        Assessment.objects.filter(review=review, superseded=False, commune_id__in=sorted(inside))
        .order_by("household_id")
        .values_list("household_id", "id", "poverty_class", "commune_id", "village_id", "member_count")
    )
    if inside and not results:
        add(problems, "review", _("Đợt «%(review)s» chưa có phiếu rà soát nào của %(commune)s: chưa có danh "
            "sách để công nhận.") % {"review": review.name, "commune": area_label(commune)})  # fmt: skip
    if corrects is None and inside and results:
        for name, messages in procedure.readiness(review, commune, signed_on).items():
            for message in messages:
                add(problems, name, message)
    starts = effective_from(review, signed_on)
    if corrects is not None:
        starts = corrects.effective_from  # the corrected lists, from the same day
    later = (
        Decision.objects.filter(commune=commune, effective_from__gt=starts).order_by("effective_from").first()
    )
    if later is not None:
        # The statuses a decision writes are the changes from those in force when it takes effect: an earlier
        # one recorded after a later one would leave the later one's rows computed from the wrong lists.
        add(problems, "signed_on", _("%(commune)s đã có quyết định %(number)s có hiệu lực từ ngày %(later)s, sau "
            "ngày quyết định này có hiệu lực (%(date)s): hãy ghi các quyết định theo thứ tự thời gian.")
            % {"commune": area_label(commune), "number": later, "later": f"{later.effective_from:%d/%m/%Y}",
               "date": f"{starts:%d/%m/%Y}"})  # fmt: skip
    raise_if_any(problems)

    before = statuses_on([row[0] for row in results], starts)
    decision = Decision.objects.create(
        review=review,
        commune=commune,
        number=number,
        signed_on=signed_on,
        signer=signer,
        effective_from=starts,
        corrects=corrects,
        reason=reason.strip(),
        recorded_by=actor_user(actor),
        recorded_by_name=actor_display_name(actor, actor_name),
        recorded_at=timezone.now(),
    )
    rows = []
    for household_id, assessment_id, poverty_class, commune_id, village_id, members in results:
        status = poverty_class if poverty_class in LISTED else PovertyClass.NOT_POOR
        current = before.get(household_id)
        if current is None and status == PovertyClass.NOT_POOR:
            continue  # never listed and still not: nothing changes
        if current is not None and (current.status, current.commune_id) == (status, commune_id):
            continue
        rows.append(
            OfficialStatus(
                household_id=household_id, status=status, valid_from=starts, decision=decision,
                assessment_id=assessment_id, commune_id=commune_id, village_id=village_id, member_count=members,
            )
        )  # fmt: skip
    insert_rows(OfficialStatus, rows)
    return decision
