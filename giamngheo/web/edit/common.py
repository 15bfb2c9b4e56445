"""What the edit views share: loading a household for editing (through the access functions), the user's
communes and the reviews covering a household, rendering a form page or a preview, and running a service call
with its messages put back on the form.

Access: every view fetches the household through `household_for_edit` (or `household_for_assess` for
assessments), so a household outside the user's area is the same 404 as a missing one and a read-only account
gets 403. Saving calls the registry and review services, which validate, record the actor and write the
history. Each form carries the household's version and last history entry; a save from a stale form is refused
(`guard`). Previews (`…/xem-truoc/`) classify the household with the form's changes applied in memory and save
nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.accounts.access import household_for_assess, household_for_edit
from giamngheo.accounts.scope import Scope
from giamngheo.areas.models import AdminUnit, UnitLevel, valid_on_q
from giamngheo.engine.standard import StandardError
from giamngheo.registry.concurrency import Seen
from giamngheo.registry.models import Household, Membership
from giamngheo.reviews.models import Assessment
from giamngheo.reviews.selectors import assessments_of, household_with
from giamngheo.web.edit.classification import FactChanges, Outcome, classify, current_basis
from giamngheo.web.forms import StampedForm, WorkspaceForm, apply_service_errors

FORM_TEMPLATE = "web/edit/form.html"
PREVIEW_TEMPLATE = "web/edit/_preview.html"


# Loading ----------------------------------------------------------------------------------------------------


def editable(request: HttpRequest, pk: int) -> Household:
    return household_for_edit(request.user, pk, household_with())


def assessable(request: HttpRequest, pk: int) -> Household:
    return household_for_assess(request.user, pk, household_with())


def latest_assessment(household: Household) -> Assessment | None:
    return assessments_of(household).first()


def current_membership(household: Household, person_pk: int) -> Membership:
    """The person's current membership of this household (the same 404 for anyone else)."""
    for membership in household.memberships.all():
        if membership.person_id == person_pk and membership.end_date is None:
            return membership
    raise Http404(_("Không tìm thấy thành viên của hộ này."))


def stamp(household: Household) -> dict[str, int]:
    """The form fields carrying what the user saw of the household (`concurrency.Seen`)."""
    seen = Seen.of(household)
    return {"version": seen.version or 0, "seen": seen.event_id or 0}


def local_today() -> date:
    return timezone.localdate()


def editable_communes(scope: Scope, today: date, keep: AdminUnit | None = None) -> QuerySet[AdminUnit]:
    """Communes valid today in which the user may register or move households (plus `keep`, the household's
    current commune, which may be a pre-2025 one)."""
    condition = valid_on_q(today) & Q(level=UnitLevel.COMMUNE)
    if not scope.everything:
        condition &= Q(pk__in=sorted(scope.commune_ids))
    if keep is not None:
        condition |= Q(pk=keep.pk)
    return AdminUnit.objects.filter(condition).order_by("name", "code")


# Rendering --------------------------------------------------------------------------------------------------


def detail_url(household: Household, anchor: str = "") -> str:
    url = reverse("web:household-detail", args=[household.pk])
    return f"{url}#{anchor}" if anchor else url


def current_outcome(household: Household, latest: Assessment | None) -> Outcome | None:
    try:
        return classify(household, current_basis(latest, local_today()))
    except StandardError:
        return None


def household_form_page(
    request: HttpRequest,
    household: Household,
    form: WorkspaceForm,
    *,
    title: str,
    url_name: str,
    url_args: Sequence[Any],
    changes: Callable[[], FactChanges],
    **options: Any,
) -> HttpResponse:
    """`form_page` for a form that changes `household`: it posts to `url_name`, previews at `url_name`-preview,
    and shows the household's classification today beside it (and, once sent, what `changes()` would give)."""
    return form_page(
        request,
        household,
        form,
        title=title,
        action_url=reverse(url_name, args=list(url_args)),
        preview_url=reverse(f"{url_name}-preview", args=list(url_args)),
        current=current_outcome(household, latest_assessment(household)),
        changes=changes() if form.is_bound else None,
        status=status_for(form),
        **options,
    )


def form_page(
    request: HttpRequest,
    household: Household | None,
    form: WorkspaceForm,
    *,
    title: str,
    action_url: str,
    preview_url: str = "",
    current: Outcome | None = None,
    changes: FactChanges | None = None,
    after: Outcome | None = None,
    submit_label: str = "",
    intro: str = "",
    status: int = 200,
    confirm: dict[str, Any] | None = None,
    open_regular: dict[str, Any] | None = None,
) -> HttpResponse:
    """A form page beside its live classification: `current` (the household as registered) and, for a form
    sent back with errors, `after` (computed from `changes`, the form's valid values), so the panel keeps
    showing what the user's input would give. `confirm` (a form that writes a result, sent once): what will be
    written, shown above a confirmation button; `open_regular`: the regular round the user may open."""
    if (
        after is None
        and changes is not None
        and current is not None
        and household is not None
        and form.is_bound
    ):
        after = classify(household, current.basis, changes)
    context = {
        "household": household,
        "form": form,
        "title": title,
        "intro": intro,
        "action_url": action_url,
        "preview_url": preview_url,
        "before": current,
        "after": after,
        "changed": current is not None and after is not None and not after.same_as(current),
        "submit_label": submit_label or _("Lưu"),
        "confirm": confirm,
        "confirm_name": "xac_nhan",
        "open_regular": open_regular,
        "cancel_url": detail_url(household) if household else reverse("web:household-list"),
    }
    return render(request, FORM_TEMPLATE, context, status=status)


def preview(request: HttpRequest, before: Outcome | None, after: Outcome | None) -> HttpResponse:
    changed = before is not None and after is not None and not after.same_as(before)
    return render(request, PREVIEW_TEMPLATE, {"before": before, "after": after, "changed": changed})


def run_service(
    form: WorkspaceForm, action: Callable[[], Any], field_map: dict[str, str] | None = None
) -> bool:
    """Run a service call; on a ValidationError put its messages on the form (nothing was saved)."""
    try:
        action()
    except ValidationError as error:
        apply_service_errors(form, error, field_map)
        return False
    return True


def status_for(form: WorkspaceForm) -> int:
    """422 when the form went back to the user with errors (so scripts and tests can tell)."""
    return 422 if form.errors else 200


def seen_by(form: StampedForm) -> Seen:
    """What the user saw of the household when the form was opened, for the service's stale-copy check."""
    return Seen(version=form.cleaned_data["version"], event_id=form.cleaned_data["seen"])


def preview_changes(request: HttpRequest, household: Household, changes: FactChanges) -> HttpResponse:
    before = current_outcome(household, latest_assessment(household))
    after = classify(household, before.basis, changes) if before is not None else None
    return preview(request, before, after)
