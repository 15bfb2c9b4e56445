"""Reviews, assessments and the figures of an area."""

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Schema

from giamngheo.api.schemas.common import Day, Flag, Id, Money, Stamp, Text
from giamngheo.api.schemas.units import UnitRef
from giamngheo.areas.models import UnitLevel
from giamngheo.engine.standard import StandardError, get_standard, load_catalogue
from giamngheo.registry.models import AreaType
from giamngheo.reviews.explanations import Explained, explain_assessment, indicator_name, language
from giamngheo.reviews.models import Cause, IncomeMethod, PovertyClass, ReviewKind


class ReviewRef(Schema):
    id: int
    name: str
    kind: ReviewKind
    year: int
    standard: str = Field(alias="standard_id", description="Mã chuẩn nghèo của đợt")


class AssessmentItem(Schema):
    id: int
    household_id: int
    review: ReviewRef
    assessed_on: date
    standard: str = Field(alias="standard_id", description="Mã chuẩn nghèo đã dùng để phân loại")
    poverty_class: PovertyClass
    deprivation_count: int
    income_per_capita: int = Field(description="Đồng/người/tháng")
    member_count: int
    commune_id: int
    village_id: int | None
    in_force: bool = Field(description="Phiếu đang có hiệu lực (false: đã được đính chính bằng phiếu khác)")
    corrects: int | None = Field(description="id của phiếu mà phiếu này đính chính")
    correction_reason: str

    @staticmethod
    def resolve_in_force(obj: Any) -> bool:
        return not obj.superseded

    @staticmethod
    def resolve_corrects(obj: Any) -> int | None:
        return obj.corrects_id


class IndicatorOut(Schema):
    code: str
    name: str
    description: str
    entered: bool | None = Field(description="Theo phiếu; null: không ghi")
    derived: bool | None = Field(description="Suy ra từ dữ liệu đã ghi; null: không đủ dữ liệu")
    deprived: bool = Field(description="Giá trị được tính")
    conflict: bool = Field(description="Phiếu và dữ liệu khác nhau")
    missing: bool = Field(description="Chưa kết luận được: không có cả phiếu lẫn đủ dữ liệu")
    needed: str = Field("", description="Các thông tin cần ghi để kết luận chỉ số chưa rõ")


class AssessmentDetail(AssessmentItem):
    """Read from an `Assessment`: the stored masks decoded per indicator of its standard."""

    area_type: AreaType
    is_agri: bool
    income_method: IncomeMethod
    b1_score: int | None
    causes: list[Cause]
    entered: dict[str, bool] = Field(description="Chỉ số thiếu hụt theo phiếu: {mã chỉ số: true/false}")
    reviewer_name: str
    indicators: list[IndicatorOut]
    explanation: str
    possible_class: PovertyClass | None = Field(
        description="Phân loại nếu mọi chỉ số chưa rõ đều là thiếu hụt (bằng poverty_class khi không thể thay đổi); "
        "null khi không tính lại được từ dữ liệu đã lưu"
    )
    classified_at: datetime

    @staticmethod
    def resolve_causes(obj: Any) -> list[int]:
        return [cause for cause in Cause.values if obj.causes_mask >> cause & 1]

    @staticmethod
    def resolve_entered(obj: Any) -> dict[str, bool]:
        return {
            code: bool(obj.entered_mask >> item.bit & 1)
            for code, item in load_catalogue().items()
            if obj.entered_known_mask >> item.bit & 1
        }

    @staticmethod
    def resolve_indicators(obj: Any) -> list[dict[str, Any]]:
        try:
            standard = get_standard(obj.standard_id)
        except StandardError:  # its data file is gone: the stored class and explanation still stand
            return []
        needed = dict(_explained(obj).needed)
        indicators = []
        for rule in standard.indicators:
            bit = 1 << standard.bit(rule.code)
            indicators.append(
                {
                    "code": rule.code,
                    "name": indicator_name(rule.code, standard.catalogue),
                    "description": rule.describe_en if language() == "en" else rule.describe_vi,
                    "entered": bool(obj.entered_mask & bit) if obj.entered_known_mask & bit else None,
                    "derived": bool(obj.derived_mask & bit) if obj.derivable_mask & bit else None,
                    "deprived": bool(obj.deprivation_mask & bit),
                    "conflict": bool(obj.conflict_mask & bit),
                    "missing": bool(obj.missing_mask & bit),
                    "needed": needed.get(indicator_name(rule.code, standard.catalogue), ""),
                }
            )
        return indicators

    @staticmethod
    def resolve_explanation(obj: Any) -> str:
        return _explained(obj).text

    @staticmethod
    def resolve_possible_class(obj: Any) -> str | None:
        result = _explained(obj).result
        return result.possible_class.value if result is not None and result.possible_class else None


def _explained(assessment: Any) -> Explained:
    """The assessment explained once per response (its resolvers share it)."""
    cached = getattr(assessment, "_explained", None)
    if cached is None:
        cached = explain_assessment(assessment)
        assessment._explained = cached
    return cached


class AssessmentCreate(Stamp):
    review_id: Id = Field(description="Đợt rà soát có địa bàn gồm xã của hộ")
    assessed_on: Day
    income_per_capita: Money = Field(description="Đồng/người/tháng")
    entered: dict[Annotated[Text, Field(max_length=40)], Flag] = Field(
        default_factory=dict, description="Chỉ số thiếu hụt theo phiếu: {mã chỉ số: true/false}"
    )
    income_method: IncomeMethod = IncomeMethod.ESTIMATED
    b1_score: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    causes: list[Cause] = Field(default_factory=list, max_length=len(Cause.values))
    reviewer_name: Annotated[Text, Field(max_length=150)] = ""


class CorrectionCreate(Stamp):
    """A correction of an assessment of a closed round: the corrected survey answers (those not sent stay as they
    were) and why."""

    reason: Annotated[Text, Field(min_length=1, max_length=1000)] = Field(description="Lý do đính chính")
    income_per_capita: Money | None = Field(None, description="Đồng/người/tháng")
    entered: dict[Annotated[Text, Field(max_length=40)], Flag] | None = Field(
        None, description="Chỉ số thiếu hụt theo phiếu: {mã chỉ số: true/false}"
    )
    income_method: IncomeMethod | None = None
    b1_score: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    causes: list[Cause] | None = Field(None, max_length=len(Cause.values))


class ReviewOut(ReviewRef):
    area: UnitRef
    reference_date: date
    lists_effective_year: int


class ReviewFilters(Schema):
    year: Annotated[int, Field(ge=2000, le=2100)] | None = None
    kind: ReviewKind | None = None
    household: Id | None = Field(None, description="Chỉ các đợt có địa bàn gồm xã của hộ này")


class StatsQuery(Schema):
    area: Annotated[
        str, Field(pattern=r"^[0-9]{1,5}$", description="Mã đơn vị hành chính (tỉnh 2, huyện 3, xã 5 số)")
    ]
    year: Annotated[int, Field(ge=2000, le=2100, description="Năm rà soát định kỳ")]
    level: UnitLevel | None = Field(None, description="Cấp đơn vị khi một mã trùng ở nhiều cấp")
    current: bool = Field(False, description="Hiểu mã theo đơn vị hiện hành thay vì ngày 31/12 của năm")


class AreaOut(Schema):
    code: str
    name: str
    level: UnitLevel
    type: str


class YearFiguresOut(Schema):
    year: int
    standard: str | None
    total_households: int
    poor_households: int
    poverty_rate: float | None = Field(description="Phần trăm, 2 chữ số thập phân; null khi không có hộ")
    near_poor_households: int
    near_poor_rate: float | None
    middle_households: int | None = Field(
        description="null khi chuẩn nghèo không quy định chuẩn mức sống trung bình (NĐ 351/2025)"
    )
    middle_rate: float | None
    multidimensional_poverty_rate: float | None


class StatsOut(YearFiguresOut):
    area: AreaOut
    previous: YearFiguresOut | None
    change_households: int | None
    change_points: float | None
