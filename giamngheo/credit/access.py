"""Access to credit records for an account: the same rules as the households (`accounts.access`). A loan, a
repayment or an import batch outside the account's area is the same 404 as a missing one; reading is open to every
role covering the household (commune officers, village reviewers of its village, province staff, viewers), writing
is checked by the services (`credit.services.WRITERS`, `credit.bank.IMPORTERS`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from giamngheo.accounts.access import households_for
from giamngheo.accounts.scope import scope_for
from giamngheo.credit.bank import IMPORTERS
from giamngheo.credit.models import BankFigure, BankImport, Loan, Repayment
from giamngheo.credit.services import WRITERS


def loan_not_found() -> Http404:
    return Http404(_("Không tìm thấy khoản vay."))


def loans_for(user: Any) -> QuerySet[Loan]:
    """Loans of the households the account may read."""
    return Loan.objects.filter(household__in=households_for(user))


def loan_for(user: Any, pk: Any) -> Loan:
    try:
        return loans_for(user).select_related("household__commune", "programme").get(pk=int(pk))
    except (Loan.DoesNotExist, ValueError, TypeError) as exc:
        raise loan_not_found() from exc


def repayment_for(user: Any, pk: Any) -> Repayment:
    try:
        return (
            Repayment.objects.filter(loan__in=loans_for(user))
            .select_related("loan__household__commune")
            .get(pk=int(pk))
        )
    except (Repayment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("Không tìm thấy lần trả nợ.")) from exc


def batches_for(user: Any) -> QuerySet[BankImport]:
    """Import batches all of whose figures are of communes the account may read (an empty batch: none)."""
    scope = scope_for(user)
    if scope.everything:
        return BankImport.objects.all()
    outside = BankFigure.objects.exclude(commune_id__in=sorted(scope.stats_commune_ids)).values("batch_id")
    return BankImport.objects.filter(figures__isnull=False).exclude(pk__in=outside).distinct()


def batch_for(user: Any, pk: Any) -> BankImport:
    try:
        return batches_for(user).get(pk=int(pk))
    except (BankImport.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("Không tìm thấy lô số liệu.")) from exc


def may_write_loans(user: Any) -> bool:
    scope = scope_for(user)
    return scope.role in WRITERS and not scope.is_empty


def may_import(user: Any) -> bool:
    scope = scope_for(user)
    return scope.role in IMPORTERS and not scope.is_empty
