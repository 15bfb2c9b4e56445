"""The household list: one selector for the web list, the API list and the exports, so that they always find the
same households for the same filters and search (a property test holds them to it).

Each row is a household with its place, head and the class, year and deprivation count of its latest assessment,
and, for a search by name or citizen ID, the members who matched. `household_with` is the one recipe for a
single household with everything the household page, the edit forms and the API detail show; views pass it to
the access functions (`accounts.access.household_for_read(user, pk, household_with(...))`), which apply the
account's area scope.

The list must answer in well under 300 ms with 100,000+ households on SQLite and PostgreSQL, so its queries are
shaped for the planners rather than written the obvious way (joins, DISTINCT, a subquery per row and a COUNT(*)
over all of it took 1.6 s for a name search over 12,800 households):

- What the search text is decides what it is matched against, instead of OR-ing the kinds: 12 digits is a
  citizen ID (or a household code), text with a digit, hyphen, slash, dot or underscore and no space is part of a
  household code, anything else is part of a name. An OR between a large subquery and another condition makes
  PostgreSQL re-run the subquery for every household (seconds).
- A name search is a substring of the folded name (`Person.search_name`, `lib.text.fold`), so "suy" finds "Đinh
  Văn Súy" and "van su" too; any member counts, past or present (the head is always a current member), so a
  person who left still leads to the household they lived in. Substring rather than word-prefix. On PostgreSQL a
  trigram index on the folded names (registry migration 0005) reads only the matching people (2-12 ms for
  400,000 people, where reading every name took 25 ms and grows with the registry); SQLite reads the name index
  whole. See `_name_condition` for the two ways the households are then found.
- The class filter compares each household's latest assessment (one index probe per household, the class is not
  indexed so that re-classification stays cheap); the page is read in code order and stops as soon as it is
  full, so the probe runs only for the households it looks at.
- The latest class, year and deprivation count are read for the rows of the page only.
- Counting: exact where it is an index scan (scope, commune, village, flags, status, code, citizen ID, an
  uncommon name); up to `COUNT_CAP` ("more than 500") with a class or ethnicity filter; not at all for a common
  name. When the first page is not full its length is the count and no count query runs.
- On PostgreSQL these queries run without JIT compilation or parallel workers (`_short_query_settings`).
- Indexes: household code, commune and status, membership by person and by household, the folded name (and its
  trigrams on PostgreSQL), citizen ID, assessment by household and date.
- A legacy commune's filter reads its villages first and names them by id (`areas.selectors.commune_households_q`):
  an OR across the village join kept either index from being used and tested every household of the area.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.areas.models import AdminUnit, UnitLevel
from giamngheo.areas.selectors import commune_households_q
from giamngheo.lib.text import fold
from giamngheo.registry.ethnicities import ethnicity_ids
from giamngheo.registry.models import (
    Household,
    HouseholdEvent,
    HouseholdStatus,
    LivingConditions,
    Membership,
    Person,
)
from giamngheo.reviews.models import Assessment

PAGE_SIZE = 50
COUNT_CAP = 500
NAME_LIST_LIMIT = 2000
MAX_OFFSET = 50_000_000  # keeps the OFFSET within a 64-bit integer whatever page is asked
MATCHED_PER_HOUSEHOLD = 3  # members named per row as having matched the search

_CITIZEN_ID = re.compile(r"^[0-9]{12}$")
_CODE_LIKE = re.compile(r"^\S*[0-9\-/_.]\S*$")


@dataclass(frozen=True)
class HouseholdFilters:
    """What the list is narrowed to; empty values (and None flags) mean "no filter"."""

    query: str = ""
    commune_id: int | None = None
    village_id: int | None = None
    poverty_class: str = ""
    ethnicity: str = ""  # code of the head's ethnic group in the default code list (A)
    is_agri: bool | None = None
    has_meritorious_member: bool | None = None
    no_working_capacity: bool | None = None
    status: str = ""

    FLAGS: ClassVar[tuple[str, ...]] = ("is_agri", "has_meritorious_member", "no_working_capacity")

    @property
    def search_kind(self) -> str:
        """'citizen_id', 'code', 'name' or '' (no search)."""
        query = self.query.strip()
        if not query:
            return ""
        if _CITIZEN_ID.match(query):
            return "citizen_id"
        if _CODE_LIKE.match(query) and query.isascii():
            return "code"
        return "name" if fold(query) else ""


def latest_assessment(field_name: str) -> Subquery:
    """The `field_name` of a household's latest assessment in force (by date, then id), for annotate/alias."""
    latest = Assessment.objects.filter(household=OuterRef("pk"), superseded=False).order_by(
        "-assessed_on", "-id"
    )
    return Subquery(latest.values(field_name)[:1])


class Counting(enum.Enum):
    """How the page counts the matches: exactly, up to `COUNT_CAP`, or not at all."""

    EXACT = "exact"
    CAPPED = "capped"
    NONE = "none"


def _name_condition(folded: str) -> tuple[Q, Counting]:
    """Households with a member (past or present) whose folded name contains `folded`, and how to count them.

    The matching people are read first, at most `NAME_LIST_LIMIT` of them (one scan of the name index, stopping
    early when the text is common). Few people: their households through the membership index, from the id list,
    so neither the page nor the exact count scans the names again. Many people (a common text such as "van" or
    "dinh thi"): a good share of all households match, so the page is filled by checking households one by one in
    code order, and the matches are not counted (that would check every household).
    """
    people = list(
        Person.objects.filter(search_name__contains=folded).values_list("pk", flat=True)[
            : NAME_LIST_LIMIT + 1
        ]
    )
    if len(people) <= NAME_LIST_LIMIT:
        members = Membership.objects.filter(person_id__in=people).order_by().values("household_id")
        return Q(pk__in=members), Counting.EXACT
    named = Membership.objects.filter(household_id=OuterRef("pk"), person__search_name__contains=folded)
    return Q(Exists(named)), Counting.NONE


def _matching(
    households: QuerySet[Household], filters: HouseholdFilters
) -> tuple[QuerySet[Household], Counting]:
    query = filters.query.strip()
    kind = filters.search_kind
    counting = Counting.EXACT
    if kind == "citizen_id":
        # The few households of that person (any membership) or with that code, read first: an OR in the list's
        # query would make the planner test every household.
        holders = Membership.objects.filter(person__citizen_id=query).order_by().values_list("household_id")
        coded = Household.objects.filter(code=query).order_by().values_list("pk")
        households = households.filter(pk__in=[row[0] for row in holders.union(coded)])
    elif kind == "code":
        households = households.filter(code__icontains=query)
    elif kind == "name":
        condition, counting = _name_condition(fold(query))
        households = households.filter(condition)
    if filters.commune_id is not None:
        # A commune of today covers the legacy communes and villages it took over; a legacy one, its own.
        commune = AdminUnit.objects.filter(pk=filters.commune_id, level=UnitLevel.COMMUNE).first()
        households = households.filter(commune_households_q(commune)) if commune else households.none()
    if filters.village_id is not None:
        households = households.filter(village_id=filters.village_id)
    if filters.status in HouseholdStatus.values:
        households = households.filter(status=filters.status)
    for flag in HouseholdFilters.FLAGS:
        value = getattr(filters, flag)
        if value is not None:
            households = households.filter(**{flag: value})
    if filters.ethnicity:
        households = households.filter(head__ethnicity_id__in=ethnicity_ids(filters.ethnicity))
    if filters.poverty_class:
        households = households.alias(latest_class=latest_assessment("poverty_class")).filter(
            latest_class=filters.poverty_class
        )
    if (filters.ethnicity or filters.poverty_class) and counting is Counting.EXACT:
        counting = Counting.CAPPED
    return households.order_by("code"), counting


def households_matching(households: QuerySet[Household], filters: HouseholdFilters) -> QuerySet[Household]:
    """`households` (already limited to what the user may read) narrowed by `filters`, in code order."""
    return _matching(households, filters)[0]


@dataclass
class HouseholdPage:
    """A slice of the list (`offset`, at most `limit` rows), with the number of matches: exact (`count`), at least
    (`count_at_least`: more than `COUNT_CAP`), or unknown (both None)."""

    households: list[Household]
    offset: int
    limit: int
    count: int | None
    count_at_least: int | None = None
    has_next: bool = False

    @property
    def number(self) -> int:
        return self.offset // self.limit + 1

    @property
    def page_size(self) -> int:
        return self.limit

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def num_pages(self) -> int | None:
        """None unless the count is exact."""
        if self.count is None:
            return None
        return max(1, -(-self.count // self.limit))

    @property
    def start_index(self) -> int:
        return self.offset + 1 if self.households else 0

    @property
    def end_index(self) -> int:
        return self.offset + len(self.households)


def _count(households: QuerySet[Household], counting: Counting, cap: int) -> tuple[int | None, int | None]:
    """(exact count, None), or (None, cap) when there are more than `cap`, or (None, None) when not counted."""
    unordered = households.order_by()
    if counting is Counting.EXACT:
        return unordered.count(), None
    if counting is Counting.NONE:
        return None, None
    found = unordered.values("pk")[: cap + 1].count()
    return (found, None) if found <= cap else (None, cap)


@contextmanager
def _short_query_settings() -> Iterator[None]:
    """On PostgreSQL, no JIT compilation and no parallel workers for the enclosed queries.

    The planner prices the per-household probe (latest class, name check) as if it ran for every household, far
    above `jit_above_cost`, though the LIMIT stops it after a few hundred: compiling then costs 50-130 ms, more
    than the query itself. Starting parallel workers for a 51-row page costs about 20 ms more than it saves.
    `SET LOCAL` keeps the settings to this transaction.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0")
        yield


def household_rows(ids: list[int], filters: HouseholdFilters) -> list[Household]:
    """The households `ids`, in that order, with commune, village, head, the latest assessment's class, year
    and deprivation count, `commune_today` (the commune holding its place today as its rows say: the commune it
    is registered in while that exists, else the commune its village belongs to today) and `matched_members`: the
    names of the members (past or present) who matched a search by name or citizen ID (none for other searches).
    Three queries whatever the number of rows."""
    rows = {
        household.pk: household
        for household in Household.objects.filter(pk__in=ids)
        .select_related("commune", "village__commune", "head")
        .annotate(
            latest_class=latest_assessment("poverty_class"),
            latest_year=latest_assessment("review__year"),
            latest_deprivation_count=latest_assessment("deprivation_count"),
        )
    }
    matched: dict[int, list[str]] = {}
    kind, query = filters.search_kind, filters.query.strip()
    if kind in {"name", "citizen_id"} and rows:
        members = Membership.objects.filter(household_id__in=list(rows))
        members = (
            members.filter(person__citizen_id=query)
            if kind == "citizen_id"
            else members.filter(person__search_name__contains=fold(query))
        )
        for household_id, name in members.order_by("household_id", "start_date", "id").values_list(
            "household_id", "person__full_name"
        ):
            names = matched.setdefault(household_id, [])
            if name not in names and len(names) < MATCHED_PER_HOUSEHOLD:
                names.append(name)
    ordered: list[Household] = [rows[pk] for pk in ids if pk in rows]
    today = timezone.localdate()
    for household in ordered:
        household.matched_members = matched.get(household.pk, [])  # type: ignore[attr-defined]
        commune = household.commune
        if not commune.is_valid_on(today) and household.village is not None:
            commune = household.village.commune
        household.commune_today = commune  # type: ignore[attr-defined]
    return ordered


def household_slice(
    households: QuerySet[Household],
    filters: HouseholdFilters,
    *,
    offset: int = 0,
    limit: int = PAGE_SIZE,
    count_cap: int = COUNT_CAP,
) -> HouseholdPage:
    """The matching households from `offset` (at most `limit`), as `household_rows`, with the number of matches.
    A fixed number of queries whatever the number of households: the matching people of a name search, the count
    (skipped when the first slice is not full), the slice's ids, its rows and matched members. An `offset` beyond
    the exact count is brought back to the last page."""
    with _short_query_settings():
        matching, counting = _matching(households, filters)
        offset = min(max(0, offset), MAX_OFFSET)
        count: int | None = None
        at_least: int | None = None
        counted = False
        if offset > 0:
            count, at_least = _count(matching, counting, count_cap)
            counted = True
            if count is not None and offset >= count:
                offset = max(0, (count - 1) // limit * limit)
        ids = list(matching.values_list("pk", flat=True)[offset : offset + limit + 1])
        has_next = len(ids) > limit
        ids = ids[:limit]
        if not counted:
            if has_next:
                count, at_least = _count(matching, counting, count_cap)
            else:
                count = len(ids)
        rows = household_rows(ids, filters)
    return HouseholdPage(
        households=rows, offset=offset, limit=limit, count=count, count_at_least=at_least, has_next=has_next
    )


def household_page(
    households: QuerySet[Household],
    filters: HouseholdFilters,
    *,
    number: int = 1,
    page_size: int = PAGE_SIZE,
    count_cap: int = COUNT_CAP,
) -> HouseholdPage:
    """Page `number` (from 1) of the matching households: `household_slice` by page."""
    number = min(max(1, number), MAX_OFFSET // page_size + 1)
    return household_slice(
        households, filters, offset=(number - 1) * page_size, limit=page_size, count_cap=count_cap
    )


def households_for_export(
    households: QuerySet[Household], filters: HouseholdFilters, *, chunk_size: int = 2_000
) -> Iterator[Household]:
    """Every matching household, in code order, as `household_rows`, read `chunk_size` at a time (the memory used
    does not grow with the number of households)."""
    matching = households_matching(households, filters)
    last_code: str | None = None
    while True:
        chunk = matching if last_code is None else matching.filter(code__gt=last_code)
        ids = list(chunk.values_list("pk", flat=True)[:chunk_size])
        if not ids:
            return
        rows = household_rows(ids, filters)
        yield from rows
        last_code = rows[-1].code if rows else None
        if len(ids) < chunk_size or last_code is None:
            return


# One household ------------------------------------------------------------------------------------------------


def household_with(
    *, history: bool = False, assessments: bool = False, queryset: QuerySet[Household] | None = None
) -> QuerySet[Household]:
    """Households with their place and head, members (with person and ethnicity, current ones first) and living
    conditions (newest first) prefetched; with `assessments` their assessments (newest first, with review,
    standard and commune) and with `history` their history entries (newest first) too. The number of queries is
    fixed whatever the household's size. Annotated: `last_event_id` (0 when none), and the latest assessment's
    `latest_class`, `latest_year` and `latest_deprivation_count`."""
    queryset = Household.objects.all() if queryset is None else queryset
    last_event = HouseholdEvent.objects.filter(household=OuterRef("pk")).order_by("-id")
    prefetches: list[Prefetch[Any]] = [
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("person", "person__ethnicity").order_by(
                "end_date", "start_date", "id"
            ),
        ),
        Prefetch("living_conditions", queryset=LivingConditions.objects.order_by("-recorded_on")),
    ]
    if assessments:
        prefetches.append(
            Prefetch(
                "assessments",
                queryset=Assessment.objects.select_related(
                    "review", "standard", "commune", "corrects"
                ).order_by("-assessed_on", "-id"),
            )
        )
    if history:
        prefetches.append(
            Prefetch(
                "events",
                queryset=HouseholdEvent.objects.select_related("person").order_by("-recorded_at", "-id"),
            )
        )
    return (
        queryset.select_related(
            "commune", "commune__parent", "village__commune__parent", "village__legacy_commune", "head"
        )
        .annotate(
            last_event_id=Coalesce(Subquery(last_event.values("id")[:1]), 0),
            latest_class=latest_assessment("poverty_class"),
            latest_year=latest_assessment("review__year"),
            latest_deprivation_count=latest_assessment("deprivation_count"),
        )
        .prefetch_related(*prefetches)
    )


def assessments_of(household: Household) -> QuerySet[Assessment]:
    """The assessments of `household`, newest first, with their review."""
    return (
        Assessment.objects.filter(household=household)
        .select_related("review")
        .order_by("-assessed_on", "-id")
    )


def assessment_in_force_of(household: Household, pk: int) -> Assessment:
    """The assessment `pk` of `household` when it is the one in force in its round; otherwise the same 404 as a
    missing one (a corrected assessment is corrected no further: its correction is)."""
    found = (
        Assessment.objects.filter(household=household, superseded=False, pk=pk)
        .select_related("review", "review__area", "household")
        .first()
    )
    if found is None:
        raise Http404(_("Không tìm thấy phiếu rà soát."))
    return found
