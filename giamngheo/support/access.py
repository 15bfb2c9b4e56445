"""Access functions of the ledger, like `accounts.access`: entries and housing cases of households the account may
read, the same 404 for "missing" and "not yours", and a 403 for a visible record the account may not change."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from giamngheo.accounts.scope import scope_for
from giamngheo.support.models import HousingCase, SupportEvent
from giamngheo.support.services import WRITERS


def may_record(user: Any) -> bool:
    """The account's role records support (its area is checked per household)."""
    scope = scope_for(user)
    return scope.role in WRITERS and not scope.is_empty


def refuse_unless_writer(user: Any) -> None:
    if not may_record(user):
        raise PermissionDenied(_("Tài khoản của bạn chỉ được xem, không được ghi hỗ trợ."))


def support_events_for(user: Any) -> QuerySet[SupportEvent]:
    return SupportEvent.objects.filter(scope_for(user).households_q("household__"))


def housing_cases_for(user: Any) -> QuerySet[HousingCase]:
    return HousingCase.objects.filter(scope_for(user).households_q("household__"))


def support_event_for_edit(user: Any, pk: Any) -> SupportEvent:
    try:
        event = support_events_for(user).select_related("household", "kind").get(pk=int(pk))
    except (SupportEvent.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("Không tìm thấy mục hỗ trợ.")) from exc
    refuse_unless_writer(user)
    return event


def housing_case_for_read(user: Any, pk: Any) -> HousingCase:
    try:
        return housing_cases_for(user).select_related("household").get(pk=int(pk))
    except (HousingCase.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("Không tìm thấy hồ sơ nhà ở.")) from exc


def housing_case_for_edit(user: Any, pk: Any) -> HousingCase:
    case = housing_case_for_read(user, pk)
    refuse_unless_writer(user)
    return case
