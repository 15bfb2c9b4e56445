"""The household page: members (current and past), living conditions, assessments over the years with their
class, explanation and indicators, the classification on today's registry facts, and the history of changes.

The page reads the household through `household_for_read` (the same 404 for missing and out-of-area) and runs
a fixed number of queries however many members, assessments and history entries the household has: everything
is selected or prefetched up front, and the live classification reads the prefetched rows. The history is
shown, never edited: there is no action on it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from giamngheo.accounts.access import household_for_read
from giamngheo.accounts.scope import scope_for
from giamngheo.decisions.status import ESCAPE_WINDOW_YEARS, escaped_from, status_history
from giamngheo.engine.standard import StandardError, load_catalogue
from giamngheo.lib.formatting import format_vnd
from giamngheo.registry.history import field_label, format_change_value
from giamngheo.registry.models import (
    EventKind,
    Household,
    HouseholdEvent,
    HouseholdStatus,
)
from giamngheo.reviews.explanations import explain_assessment, indicator_name
from giamngheo.reviews.models import Assessment, Cause
from giamngheo.reviews.rounds import household_commune_on
from giamngheo.reviews.selectors import household_with
from giamngheo.reviews.services import rerecord_plan
from giamngheo.reviews.stats import area_label
from giamngheo.web.edit.classification import classify, current_basis, rerecord_outcome, stored_matches


def _indicators(assessment: Assessment, catalogue: dict[str, Any]) -> list[dict[str, Any]]:
    standard = assessment.standard.definition()
    indicators = []
    for rule in standard.indicators:
        bit = 1 << standard.bit(rule.code)
        indicators.append(
            {
                "name": indicator_name(rule.code, catalogue),
                "deprived": bool(assessment.deprivation_mask & bit),
                "conflict": bool(assessment.conflict_mask & bit),
                "missing": bool(assessment.missing_mask & bit),
                "derived": bool(assessment.derivable_mask & bit),
            }
        )
    return indicators


def _change_text(model: Any, name: str, value: Any, catalogue: dict[str, Any]) -> str:
    """A stored history value as a person reads it (indicator and cause codes by name, money in đồng)."""
    if value is None or value == "" or value == []:
        return "—"
    if name == "deprivations" and isinstance(value, list):
        return ", ".join(indicator_name(str(code), catalogue) for code in value)
    if name == "causes" and isinstance(value, list):
        labels = dict(Cause.choices)
        return ", ".join(str(labels.get(cause, cause)) for cause in value)
    if name == "income_per_capita" and isinstance(value, int):
        return format_vnd(value)
    return format_change_value(model, name, value)


def history_rows(events: list[HouseholdEvent], catalogue: dict[str, Any]) -> list[dict[str, Any]]:
    """Each event with its changes as (field key, label, old text, new text)."""
    rows = []
    for event in events:
        model = Assessment if event.kind == EventKind.ASSESSED else Household
        changes = []
        for name, pair in (event.changes or {}).items():
            old, new = (
                (pair[0], pair[1]) if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
            )
            old_text = _change_text(model, name, old, catalogue)
            new_text = _change_text(model, name, new, catalogue)
            if old_text != new_text:  # e.g. the empty list of causes recorded with a new assessment
                changes.append(
                    {"field": name, "label": field_label(model, name), "old": old_text, "new": new_text}
                )
        rows.append({"event": event, "changes": changes})
    return rows


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = household_for_read(request.user, pk, household_with(assessments=True, history=True))
    catalogue = load_catalogue()
    stored = list(household.assessments.all())
    today = timezone.localdate()
    assessments = [
        {
            "assessment": a,
            "indicators": _indicators(a, catalogue),
            "closed": a.review.is_closed_on(today),
            "explained": explain_assessment(a),
        }
        for a in stored
    ]
    latest = stored[0] if stored else None
    memberships = list(household.memberships.all())
    events = list(household.events.all())
    scope = scope_for(request.user)
    active = household.status == HouseholdStatus.ACTIVE

    try:
        current = classify(household, current_basis(latest, today))
    except StandardError:
        current = None
    rerecord = None
    in_force = next((a for a in stored if not a.superseded), None)
    plan = rerecord_plan(household=household, on=today, latest=in_force) if in_force is not None else None
    if plan is not None:
        try:
            outcome = rerecord_outcome(household, plan)
        except StandardError:  # the round's standard is no longer in the data files
            outcome = None
        if outcome is not None:
            rerecord = {"plan": plan, "outcome": outcome, "differs": not stored_matches(plan.latest, outcome)}

    commune_today = household_commune_on(household, today)
    statuses = status_history(household.pk)
    return render(
        request,
        "web/household_detail.html",
        {
            "household": household,
            "commune_today": commune_today,
            "commune_today_label": area_label(commune_today),
            "province_today": commune_today.parent,
            "registered_commune_label": area_label(household.commune)
            if household.commune_id != commune_today.pk
            else "",
            "current_members": [m for m in memberships if m.end_date is None],
            "past_members": [m for m in memberships if m.end_date is not None],
            "living_conditions": list(household.living_conditions.all()),
            "assessments": assessments,
            "latest": latest,
            "current_class": current,
            "rerecord": rerecord,
            "history": history_rows(events, catalogue),
            "scope": scope,
            "can_edit": scope.can_edit and active,
            "can_assess": scope.can_assess and active,
            "stamp": {"version": household.version, "seen": max((e.pk for e in events), default=0)},
            "statuses": list(reversed(statuses)),
            "escaped_on": escaped_from(statuses, today),
            "escape_window": ESCAPE_WINDOW_YEARS,
        },
    )
