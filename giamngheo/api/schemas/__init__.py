"""Input and output schemas of the API. They only turn JSON into domain values (dates, enums, integer đồng);
every rule about what is allowed lives in the services they are passed to.

Money is an integer number of đồng; dates are ISO (YYYY-MM-DD); choices are their stored values.
"""

from giamngheo.api.schemas.classify import ClassifyIn, ClassifyOut, LivingFactsIn, MemberFactsIn
from giamngheo.api.schemas.common import MAX_ID, MAX_MONEY, Day, Id, Input, Money, Text
from giamngheo.api.schemas.registry import (
    HouseholdCreate,
    HouseholdDetail,
    HouseholdFilters,
    HouseholdItem,
    HouseholdUpdate,
    LivingConditionsOut,
    MemberCreate,
    MemberFilters,
    MemberOut,
    MembershipOut,
    MemberUpdate,
    PersonFields,
    PersonOut,
    VillageRef,
)
from giamngheo.api.schemas.reviews import (
    AreaOut,
    AssessmentCreate,
    AssessmentDetail,
    AssessmentItem,
    IndicatorOut,
    ReviewFilters,
    ReviewOut,
    ReviewRef,
    StatsOut,
    StatsQuery,
    YearFiguresOut,
)
from giamngheo.api.schemas.units import UnitDetail, UnitFilters, UnitOut, UnitRef, VillageOut

__all__ = [
    "MAX_ID",
    "MAX_MONEY",
    "AreaOut",
    "AssessmentCreate",
    "AssessmentDetail",
    "AssessmentItem",
    "ClassifyIn",
    "ClassifyOut",
    "Day",
    "HouseholdCreate",
    "HouseholdDetail",
    "HouseholdFilters",
    "HouseholdItem",
    "HouseholdUpdate",
    "Id",
    "IndicatorOut",
    "Input",
    "LivingConditionsOut",
    "LivingFactsIn",
    "MemberCreate",
    "MemberFactsIn",
    "MemberFilters",
    "MemberOut",
    "MemberUpdate",
    "MembershipOut",
    "Money",
    "PersonFields",
    "PersonOut",
    "ReviewFilters",
    "ReviewOut",
    "ReviewRef",
    "StatsOut",
    "StatsQuery",
    "Text",
    "UnitDetail",
    "UnitFilters",
    "UnitOut",
    "UnitRef",
    "VillageOut",
    "VillageRef",
    "YearFiguresOut",
]
