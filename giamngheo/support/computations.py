"""The support ledger's computed actual for the targets (`goals.computations`): houses built or repaired for poor
and near-poor households, completed in the period in the area (`support.selectors.support_summary`)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from giamngheo.goals.computations import Computed, Period
from giamngheo.support.models import HousingStage
from giamngheo.support.selectors import support_summary


def houses_completed(period: Period) -> Computed:
    if period.month is not None:
        return Computed(None, _("Số nhà hoàn thành chỉ tính theo năm."))
    houses = support_summary(period.area, period.year).houses(HousingStage.COMPLETED)
    if not houses.houses:
        # No case completed: the ledger may not be in use here; an entered figure, if any, is shown instead.
        return Computed(None, _("Chưa có hồ sơ nhà ở nào hoàn thành trong năm trên địa bàn."))
    return Computed(
        Decimal(houses.houses),
        _("Nhà xây mới, sửa chữa hoàn thành trong năm theo hồ sơ hỗ trợ nhà ở (%(count)s căn).")
        % {"count": houses.houses},
    )
