"""Who may receive a kind of support on a day: a pure function of the rule in force and the household's standing.

The standing is the household's official status on the day of the support (`decisions.status.statuses_on`: the
chairman's decisions, never a survey result) and, when it is off the lists, the day it left them. A rule names the
statuses it covers: poor, near-poor, "newly escaped" within N years (QĐ 28/2015/QĐ-TTg: 3 years for VBSP loans;
NTP Project 3 nutrition: "hộ mới thoát nghèo" — domain.md §4.2, §5), or any household. Nothing here reads the
database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.utils.translation import gettext as _

POOR = "ngheo"  # reviews.models.PovertyClass values, repeated so that this module imports no model
NEAR_POOR = "can_ngheo"
ESCAPED = "escaped"
ANY = "any"


class RuleTerms(Protocol):
    poor: bool
    near_poor: bool
    escaped_within_years: int | None
    any_household: bool


@dataclass(frozen=True)
class Standing:
    """A household's place on the lists on a day: its official status (None: never listed by then) and, when off
    the lists, the day it left them (None when it never was on them)."""

    status: str | None
    left_lists_on: date | None = None


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    basis: str  # POOR, NEAR_POOR, ESCAPED, ANY, or "" when refused
    covered: str  # the statuses the rule covers, in words


def within_years(left: date, day: date, years: int) -> bool:
    """`left` lies within the `years` before `day` (as `decisions.status.escaped_from` counts the window)."""
    try:
        limit = day.replace(year=day.year - years)
    except ValueError:  # 29 February
        limit = day.replace(year=day.year - years, day=28)
    return left <= day and left > limit


def covered_text(rule: RuleTerms) -> str:
    """ "hộ nghèo, hộ cận nghèo, hộ mới thoát nghèo trong 3 năm" — what the rule covers."""
    if rule.any_household:
        return _("mọi hộ")
    parts = []
    if rule.poor:
        parts.append(_("hộ nghèo"))
    if rule.near_poor:
        parts.append(_("hộ cận nghèo"))
    if rule.escaped_within_years:
        parts.append(
            _("hộ mới thoát nghèo, thoát cận nghèo trong %(years)s năm")
            % {"years": rule.escaped_within_years}
        )
    return ", ".join(parts) or _("không hộ nào")


def evaluate(rule: RuleTerms, standing: Standing, day: date) -> Eligibility:
    """Whether the household with `standing` on `day` is covered by `rule`, and on which basis."""
    covered = covered_text(rule)
    if rule.any_household:
        return Eligibility(True, ANY, covered)
    if standing.status == POOR and rule.poor:
        return Eligibility(True, POOR, covered)
    if standing.status == NEAR_POOR and rule.near_poor:
        return Eligibility(True, NEAR_POOR, covered)
    if (
        standing.status not in (POOR, NEAR_POOR)
        and standing.left_lists_on is not None
        and rule.escaped_within_years
        and within_years(standing.left_lists_on, day, rule.escaped_within_years)
    ):
        return Eligibility(True, ESCAPED, covered)
    return Eligibility(False, "", covered)
