"""The figures the demo district must reproduce, with their sources.

Headline figures (exact; the acceptance numbers of the project):
- End-2023 review, standard 2022-2025 (NĐ 07/2021/NĐ-CP): 4,336 poor households = 33.78 % of households, down
  5.91 points from end-2022. Source: the seed article (Kông Chro district portal, 25/01/2024;
  shared/docs/seed-article.md) [V], and gialaitv.vn 27/11/2023 (domain.md §10): 4,336 poor, 33.78 %, −697
  households vs end-2022.
- End-2022 review: 5,033 poor households (= 4,336 + 697) at 39.69 %. [S] derived in domain.md §10.
- Households assessed: 12,681 (end-2022) and 12,836 (end-2023). Not published: chosen so that the rates come out
  exactly (5,033 / 12,681 = 39.69 %; 4,336 / 12,836 = 33.78 %) and near the "about 12.7k / 12.8k" of domain.md §10
  and the 11,437 households / 54,104 people of §7.3.

Demo choices (not published anywhere; documented here so that the tests can hold the generator to them):
- Near-poor households about 12 % of households at end-2022, rising slightly at end-2023 as poor households
  escape to near-poor; the tests accept NEAR_POOR_SHARE_BAND.
- A few farm households with a middle living standard (QĐ 24/2021; domain.md §1.1): about 2.5 % / 3.5 %.
- Between the reviews the number of households changes through registry events only: households split off from
  existing ones, move in, or close (moved away, merged into a relative's household, a single-person household
  whose member died). The counts below give the +155 households between 12,681 and 12,836.
- Who escapes, falls back or becomes poor is decided by the generator's living-standard model (see
  giamngheo/demo/planner.py); the tests check that every transition of domain.md §3.6 occurs and that escapes
  dominate.

The reviews after 2023 (demo choices, not published figures: nothing has been published for them):
- The demo's history goes on after 2023 in three of today's six communes (TERRITORIES): new Xã Kông Chro (23824,
  from 01/07/2025: the former TT Kông Chro, Yang Trung and Yang Nam; domain.md §7.3), Xã Đăk Song (23842: Đăk Song,
  Đăk Pling) and Xã Chơ Long (23851: Chơ Long, Đăk Pơ Pho). The demo continues the registry of those seven former
  communes only (the district's other seven stop at their end-2023 review). The figures below are Xã Kông Chro's;
  the other two follow the same rules with the targets of TERRITORIES, and the three end-2026 rounds are at
  different steps of the procedure on the day the demo is built (STAGE_DAYS), so that every step can be tried at
  once. Each territory's registry moves forward through 2024-2026 (households split off and close, births, deaths,
  people leaving, a new school year each September, the social allowance at 80), one year at a time, and the
  territory holds the periodic review of each year: 2024 and 2025 under NĐ 07/2021 (in force through 2026: NĐ 351/2025 keeps it for the lists
  of 2026), 2026 the first under NĐ 351/2025/NĐ-CP.
- The review of 2024 (REVIEW_2024; cut-off date 14/12/2024, lists of 2025) is the former district's (630, valid
  until 30/06/2025: there is no new commune yet), with assessments in the territories' former communes only
  (DISTRICT_2024). The review of 2025 (REVIEW_2025; cut-off date 14/12/2025, lists of 2026) is new Xã Kông
  Chro's, after the reform (each new commune holds its own). The review of 2026 (REVIEW_2026; cut-off date 14/12/2026) decides the 2027 lists under NĐ 351: income lines
  2,200,000 rural / 2,800,000 urban, 12 indicators (the information-devices indicator removed, waste collection
  added), no middle-living-standard line yet.
- Households: the territory's households at end-2023 (3,953 in the default plan) plus those that split off, minus
  CLOSURES_2024_2026 (apportioned evenly over the three years: 17 a year); the generator splits off, from one
  review to the next, as many as the next review's household target takes: 64 in 2024 (4,000 = 3,953 + 64 − 17),
  64 in 2025 (4,047 = 4,000 + 64 − 17) and none in 2026 (4,030 = 4,047 − 17), all before the 2025 reform (see
  SPLITS_BEFORE): the 128 households of 2024-2026 (about 1 % a year), half each year.
- Incomes are carried forward, not drawn again: each household's income per person at its last assessment (its
  parents' household's, for one that split off since) grows by INCOME_GROWTH_2024_2026 a year (nominal) and by
  the household's own change since (the generator's living-standard model: a job found or lost, a harvest lost,
  programme support for the households poor at the last review). The generator takes the households in order of
  carried-forward income relative to their line; any whose income lies on the wrong side of a line for the
  targets is moved just across it (the plan counts them and the tests hold them under 5 % of the households). The
  most deprived of those under the line are the poor ones; under NĐ 07, the farm households just above the line
  with the lowest incomes relative to the middle line have a middle living standard.
- 2024 and 2025, poor, near-poor and middle: the counts the income model gives in the default plan (so no income
  is moved): with NĐ 07's lines fixed since 2022 and incomes growing about 8 % a year, fewer households are at or
  below the line each year and the poverty rate keeps falling as it did in 2023: end-2023 in the three former
  communes (from the plan: 3,953 households, 630 poor = 15.94 %, 385 near-poor = 9.74 %, 86 middle = 2.18 %),
  end-2024 550 poor = 13.75 %, 337 near-poor = 8.43 %, 232 middle = 5.80 %; end-2025 424 poor = 10.48 %, 269
  near-poor = 6.65 %, 382 middle = 9.44 % (near-poor households that escape mostly land just above the line, in
  the middle band if they farm). Those under the line with three deprivations or more are the poor ones.
- 2026, poor and near-poor: chosen with that income model in view. NĐ 351's lines are 40-47 % above NĐ 07's
  while incomes grow by about 8 % from 2025, so households that had escaped poverty fall back under the line: in
  the default plan a third of the commune's households are at or below the new lines once incomes are carried
  forward (1,382 = 34.29 %; the target, 1,355 = 33.62 %, was set when incomes were carried from 2023, and the 27
  with the highest incomes relative to the line are moved just above it), against 17.12 % poor and near-poor at
  end-2025 under NĐ 07; a little under half of those at or below the line are deprived on three of the 12
  indicators or more (waste collection is the most common deprivation, in the Bahnar villages above all), so the
  poverty rate returns to about its end-2023 level (15.38 %) while the near-poor rate nearly triples from 2025.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class ReviewTarget:
    year: int
    reference_date: date
    lists_effective_year: int
    households: int
    poor: int
    poor_rate: Decimal
    near_poor: int
    middle: int


STANDARD_CODE = "ND07-2021"
DISTRICT_CODE = "630"  # Huyện Kông Chro, former province Gia Lai (64); valid until 30/06/2025
PROVINCE_CODE = "64"

REVIEW_2022 = ReviewTarget(
    year=2022,
    reference_date=date(2022, 12, 14),  # last day of the periodic review window (QĐ 24/2021, Art. 3)
    lists_effective_year=2023,
    households=12_681,
    poor=5_033,
    poor_rate=Decimal("39.69"),
    near_poor=1_522,  # 12.00 %
    middle=320,  # 2.52 %
)
REVIEW_2023 = ReviewTarget(
    year=2023,
    reference_date=date(2023, 12, 14),
    lists_effective_year=2024,
    households=12_836,
    poor=4_336,
    poor_rate=Decimal("33.78"),
    near_poor=1_640,  # 12.78 %
    middle=450,  # 3.51 %
)
CHANGE_POOR_HOUSEHOLDS = -697
CHANGE_POOR_RATE_POINTS = Decimal("-5.91")

NEAR_POOR_SHARE_BAND = (Decimal("10.0"), Decimal("15.0"))  # percent of households, both reviews

# Registry events between the two reviews (2023). New households: split off + moved in; closed households by reason.
SPLITS_2023 = 170
MOVE_INS_2023 = 40
CLOSURES_2023 = {"moved_away": 25, "merged": 12, "died_out": 18}

# A regular (monthly) review in June 2023 (QĐ 24/2021 Art. 5; not in the published figures, which count periodic
# reviews only): poor households recognised as having escaped, of which `re_poor` are poor again at the end-2023
# review (tái nghèo), and households recognised as poor after a shock (phát sinh mới within the year).
REGULAR_REVIEW_2023 = {"re_poor": 9, "escaped": 16, "newly_poor": 12}

# Houses built or repaired for poor households in 2023 (seed article: 12), recorded as new living conditions.
HOUSES_SUPPORTED_2023 = 12

# The six new communes of Gia Lai (52) that took the district's 14 communes on 1 July 2025 (domain.md §7.3).
NEW_COMMUNES = ("23824", "23833", "23830", "23839", "23842", "23851")
REFORM_CHECK = (
    "23824",
    ("23824", "23845", "23854"),
)  # new Xã Kông Chro <- TT Kông Chro, Yang Trung, Yang Nam


# The end-2026 periodic review of new Xã Kông Chro (demo choices; see the module's docstring).
STANDARD_2026 = "ND351-2025"
COMMUNE_2026 = "23824"  # new Xã Kông Chro (valid from 01/07/2025)
LEGACY_COMMUNES_2026 = ("23824", "23845", "23854")  # its former communes: TT Kông Chro, Yang Trung, Yang Nam
REVIEW_2026 = ReviewTarget(
    year=2026,
    reference_date=date(2026, 12, 14),
    lists_effective_year=2027,
    households=4_030,
    poor=620,
    poor_rate=Decimal("15.38"),
    near_poor=735,  # 18.24 %; poor and near-poor together 33.62 %
    middle=0,  # NĐ 351/2025 has no middle-living-standard line yet
)
# The periodic reviews of 2024 and 2025 in the same territory, under NĐ 07/2021 (in force through 2026; demo
# choices, see the module's docstring): its part of the former district's review of 2024 and new Xã Kông Chro's
# of 2025.
REVIEW_2024 = ReviewTarget(
    year=2024,
    reference_date=date(2024, 12, 14),
    lists_effective_year=2025,
    households=4_000,
    poor=550,
    poor_rate=Decimal("13.75"),
    near_poor=337,
    middle=232,
)
REVIEW_2025 = ReviewTarget(
    year=2025,
    reference_date=date(2025, 12, 14),
    lists_effective_year=2026,
    households=4_047,
    poor=424,
    poor_rate=Decimal("10.48"),
    near_poor=269,
    middle=382,
)
INCOME_GROWTH_2024_2026 = Decimal("0.08")  # a year, nominal
CLOSURES_2024_2026 = {"moved_away": 30, "merged": 9, "died_out": 12}
# Households split off only before the 2025 reform (in 2024 and early 2025): a demo choice that keeps every planned
# household in the commune it was planned in. (`registry.household_split` registers a household split off after
# the reform in the commune holding its village that day: tests/registry/test_memberships.py.)
REFORM_DATE = date(2025, 7, 1)  # the six new communes take the district's fourteen (domain.md §7.3)
SPLITS_BEFORE = REFORM_DATE
# The survey weeks of the later reviews (the review runs from 1 September to 14 December; QĐ 24/2021 Art. 3): from
# 1 October to 27 November in 2024 and 2025. In 2026 nothing is recorded after the day the demo is built: built
# before 1 October 2026 the demo stops at 2023; built later, each commune's survey ends a number of days before
# that day (STAGE_DAYS), so that its round has reached its stage (`Territory.stage_2026`), and on 9 December at the latest
# (a round closed on its cut-off date, 14/12/2026, holds its meetings on the 10th: `demo.procedure.schedule`).
# Up to the cut-off date the round is open and recorded as a commune officer records it; after it, the round is
# closed and its records are imported as those of a past round.
SURVEY_2026 = (date(2026, 10, 1), date(2026, 11, 27))
SURVEY_2026_LAST = date(2026, 12, 9)


@dataclass(frozen=True)
class Territory:
    """One of today's communes whose former communes' registry the demo carries on after the end-2023 review, with
    its targets for the reviews of 2024 (its part of the former district's), 2025 and 2026, its households closing
    over 2024-2026 by reason (apportioned evenly over the three years), and how far its end-2026 round has gone on
    the day the demo is built (a key of STAGE_DAYS)."""

    commune: str
    name: str
    legacy_communes: tuple[str, ...]
    reviews: tuple[ReviewTarget, ...]  # 2024, 2025, 2026
    closures: dict[str, int]
    stage_2026: str


def _target(year: int, households: int, poor: int, near_poor: int, middle: int) -> ReviewTarget:
    from giamngheo.lib.formatting import percent

    return ReviewTarget(
        year=year, reference_date=date(year, 12, 14), lists_effective_year=year + 1, households=households,
        poor=poor, poor_rate=percent(poor, households) or Decimal(0), near_poor=near_poor, middle=middle,
    )  # fmt: skip


# The end-2026 round of each commune, on the day the demo is built, at the pace of `demo.procedure.advance` (a
# day after the last survey the village meetings, two days later the posting, a complaint on its third day and its
# re-check two days after, the consultation the day after the posting, the decision the day after that and the
# submission to the province the next day): days from the commune's last survey day to the day of the build.
STAGE_DAYS = {
    "posting": 4,  # posting since yesterday, no complaint
    "complaints": 6,  # posting since three days ago, a complaint received yesterday waits for its re-check
    "decided": 13,  # decided two days ago, submitted yesterday, waiting for the province's approval
}

# The communes whose registry the demo carries on after 2023 (demo choices; the targets are the counts the income
# model gives in the default plan, except 2026 in Xã Kông Chro, see the module's docstring): new Xã Kông Chro,
# Xã Đăk Song (23842 <- Đăk Song, Đăk Pling) and Xã Chơ Long (23851 <- Chơ Long, Đăk Pơ Pho), the remotest and
# poorest of today's six communes; their 2024 targets together are the former district's review of 2024
# (DISTRICT_2024).
TERRITORIES = (
    Territory(
        commune=COMMUNE_2026,
        name="Xã Kông Chro",
        legacy_communes=LEGACY_COMMUNES_2026,
        reviews=(REVIEW_2024, REVIEW_2025, REVIEW_2026),
        closures=CLOSURES_2024_2026,
        stage_2026="complaints",
    ),
    Territory(
        commune="23842",
        name="Xã Đăk Song",
        legacy_communes=("23842", "23843"),
        reviews=(
            _target(2024, 1_370, 593, 161, 173),
            _target(2025, 1_391, 444, 128, 337),
            _target(2026, 1_385, 642, 245, 0),
        ),
        closures={"moved_away": 9, "merged": 3, "died_out": 6},
        stage_2026="decided",
    ),
    Territory(
        commune="23851",
        name="Xã Chơ Long",
        legacy_communes=("23851", "23846"),
        reviews=(
            _target(2024, 1_636, 713, 188, 236),
            _target(2025, 1_661, 561, 158, 409),
            _target(2026, 1_654, 802, 293, 0),
        ),
        closures={"moved_away": 12, "merged": 3, "died_out": 6},
        stage_2026="posting",
    ),
)


def district_2024() -> ReviewTarget:
    """The former district's review of 2024: the territories' targets of 2024 together."""
    parts = [territory.reviews[0] for territory in TERRITORIES]
    return _target(
        2024, sum(t.households for t in parts), sum(t.poor for t in parts), sum(t.near_poor for t in parts),
        sum(t.middle for t in parts),
    )  # fmt: skip


def check_consistency() -> None:
    """The targets agree with each other (run by the tests and before every generation)."""
    from giamngheo.lib.formatting import percent

    for target in (REVIEW_2022, REVIEW_2023, REVIEW_2024, REVIEW_2025, REVIEW_2026):
        assert percent(target.poor, target.households) == target.poor_rate, target
        assert target.poor + target.near_poor + target.middle <= target.households, target
    assert REVIEW_2023.poor - REVIEW_2022.poor == CHANGE_POOR_HOUSEHOLDS
    assert REVIEW_2023.poor_rate - REVIEW_2022.poor_rate == CHANGE_POOR_RATE_POINTS
    net = SPLITS_2023 + MOVE_INS_2023 - sum(CLOSURES_2023.values())
    assert REVIEW_2022.households + net == REVIEW_2023.households
    assert REVIEW_2026.lists_effective_year == REVIEW_2026.year + 1 and REVIEW_2026.middle == 0
    later = (REVIEW_2023, REVIEW_2024, REVIEW_2025, REVIEW_2026)
    assert [t.year for t in later] == list(range(REVIEW_2023.year, REVIEW_2026.year + 1))
    assert REFORM_CHECK == (COMMUNE_2026, LEGACY_COMMUNES_2026) and TERRITORIES[0].reviews == later[1:]
    assert len({t.commune for t in TERRITORIES}) == len(TERRITORIES) <= len(NEW_COMMUNES)
    assert {t.stage_2026 for t in TERRITORIES} == set(STAGE_DAYS)  # every stage can be tried at once
    assert SURVEY_2026[0] < SURVEY_2026[1] < SURVEY_2026_LAST < REVIEW_2026.reference_date
    assert date(REVIEW_2026.year, 1, 1) > SPLITS_BEFORE
    # The seed article's money: the split adds up to its totals.
    assert sum(FUNDS_2023_INVESTMENT.values()) == FUNDS_2023_INVESTMENT_TOTAL
    assert sum(FUNDS_2023_RECURRENT.values()) == FUNDS_2023_RECURRENT_TOTAL
    assert FUNDS_2023_INVESTMENT_TOTAL + FUNDS_2023_RECURRENT_TOTAL == FUNDS_2023_TOTAL
    assert sum(CREDIT_2023_SHARES.values()) == 100 and sum(COMMENDATIONS_2023.values()) == 45
    assert 0 <= HOUSES_NEW_2023 <= HOUSES_SUPPORTED_2023
    for territory in TERRITORIES:
        assert territory.commune in NEW_COMMUNES, territory
        assert [t.year for t in territory.reviews] == list(range(REVIEW_2024.year, REVIEW_2026.year + 1))
        assert all(
            t.lists_effective_year == t.year + 1 and t.reference_date == date(t.year, 12, 14)
            for t in territory.reviews
        )
        assert territory.reviews[-1].middle == 0  # NĐ 351/2025 has no middle-living-standard line yet
        # One evolution: the closures apportioned evenly over 2024-2026 (each reason's count a multiple of three)
        # and no household split off in 2026 (SPLITS_BEFORE), so 2026 has 2025's households less a year's closures.
        assert all(count % 3 == 0 for count in territory.closures.values()), territory
        assert (
            territory.reviews[1].households - sum(territory.closures.values()) // 3
            == territory.reviews[2].households
        )


# The seed article's year-end figures of 2023 beyond the lists (exact; issue 10's acceptance numbers). The targets
# and the commendations are the district's own decisions, recorded as such (a target is an input, not a result);
# the money, credit and houses are generated as records whose sums give these figures (`demo.programme`).
TARGETS_2024 = {  # indicator code (goals app) -> value: "Phấn đấu ..." of the seed article
    "poverty_rate_reduction": Decimal("5.5"),  # points a year, at least
    "loans_eligible_poor": Decimal("100"),  # % of eligible poor households that need a loan
    "training_support_poor": Decimal("100"),  # % of poor working-age people who need it
    "jobless_poor_priority": Decimal("100"),  # % of poor households with labour but no job
    "rural_jobs": Decimal("825"),  # rural workers given jobs
    "trained_labour_rate": Decimal("49"),  # %
}
TARGETS_2024_DOCUMENT = ("Kế hoạch giảm nghèo bền vững năm 2024 của UBND huyện Kông Chro", date(2024, 1, 24))
COMMENDATIONS_2023 = {"collective": 19, "individual": 14, "household": 12}
COMMENDATIONS_DECISION = (
    "Giấy khen của UBND huyện Kông Chro",
    date(2024, 1, 24),
)  # at the year-end conference

# Programme money of 2023 (seed article: 82,801 million đồng allocated to the district = 54,532 development
# investment + 28,269 recurrent, for projects 2, 3, 4, 6 and 7; the investment is taken here as Project 1's
# infrastructure and Project 4's vocational facilities). The split by project and sub-project, the local budget's
# share and the disbursement are demo choices (the article gives none); in million đồng.
FUNDS_2023_INVESTMENT = {"DA1.TDA1": 49_800, "DA4.TDA1": 4_732}
FUNDS_2023_RECURRENT = {
    "DA2": 6_150, "DA3.TDA1": 9_870, "DA3.TDA2": 2_310, "DA4.TDA3": 3_540, "DA6.TDA1": 1_890, "DA6.TDA2": 1_120,
    "DA7.TDA1": 2_130, "DA7.TDA2": 1_259,
}  # fmt: skip
FUNDS_2023_TOTAL, FUNDS_2023_INVESTMENT_TOTAL, FUNDS_2023_RECURRENT_TOTAL = 82_801, 54_532, 28_269
FUNDS_LOCAL_SHARE = Decimal("0.10")  # of each recurrent allocation: the province's counterpart funds
FUNDS_DISBURSED_SHARE = {"dau_tu_phat_trien": Decimal("0.96"), "thuong_xuyen": Decimal("0.91")}  # by 31/12
FUNDS_DECISION_2023 = ("65/QĐ-UBND", date(2023, 2, 20))  # the province's allocation decision (demo choice)

# Social-policy bank lending of the district in 2023 (seed article, to 28/12/2023): 99,186 million đồng lent in
# 2,486 household loans; outstanding 190,434 million đồng. The bank's report by commune and programme is a demo
# choice apportioned from these totals (by the communes' poor and near-poor households at end-2022 and the
# programme shares below), imported as the bank's spreadsheet (`credit.bank`).
CREDIT_2023_PERIOD = (date(2023, 1, 1), date(2023, 12, 28))
CREDIT_2023_DISBURSED = 99_186  # million đồng
CREDIT_2023_LOANS = 2_486
CREDIT_2023_OUTSTANDING = 190_434  # million đồng
CREDIT_2023_SHARES = {  # programme -> share of the year's lending (demo choice)
    "ho_ngheo": 45, "ho_can_ngheo": 18, "ho_moi_thoat_ngheo": 10, "sxkd_vung_kho_khan": 12, "nuoc_sach_vsmt": 8,
    "viec_lam": 4, "hssv": 3,
}  # fmt: skip
CREDIT_2023_OVERDUE_SHARE = Decimal("0.004")  # of the outstanding balance (demo choice)


@dataclass(frozen=True)
class MoneyYear:
    """A year's programme money and social-policy lending of the district, in million đồng (loans: a count)."""

    year: int
    investment: dict[str, int]  # sub-project -> development investment
    recurrent: dict[str, int]  # sub-project -> recurrent funds
    decision: tuple[str, date]  # the province's allocation decision
    credit_period: tuple[date, date]
    credit_disbursed: int
    credit_loans: int
    credit_outstanding: int


MONEY_2023 = MoneyYear(
    2023, FUNDS_2023_INVESTMENT, FUNDS_2023_RECURRENT, FUNDS_DECISION_2023, CREDIT_2023_PERIOD,
    CREDIT_2023_DISBURSED, CREDIT_2023_LOANS, CREDIT_2023_OUTSTANDING,
)  # fmt: skip
# 2022 (demo choices, nothing published: issue 10 asks for the year before too): the programme's first full year
# with about 85 % of 2023's money, the bank lending a little less and its balance growing by 2023's net lending.
MONEY_2022 = MoneyYear(
    2022,
    {"DA1.TDA1": 42_300, "DA4.TDA1": 4_050},
    {"DA2": 5_210, "DA3.TDA1": 8_390, "DA3.TDA2": 1_960, "DA4.TDA3": 3_010, "DA6.TDA1": 1_610, "DA6.TDA2": 950,
     "DA7.TDA1": 1_810, "DA7.TDA2": 1_070},
    ("48/QĐ-UBND", date(2022, 3, 15)),
    (date(2022, 1, 1), date(2022, 12, 29)),
    91_420, 2_318, 176_905,
)  # fmt: skip

# The 12 houses of 2023 (HOUSES_SUPPORTED_2023), built or repaired from mobilised resources: the first
# HOUSES_NEW_2023 (by household code) new builds, the others repairs (demo choice).
HOUSES_NEW_2023 = 7
