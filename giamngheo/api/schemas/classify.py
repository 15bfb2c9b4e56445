"""Classifying an ad-hoc household: the facts the engine reads, and its answer."""

from typing import Annotated

from ninja import Field, Schema

from giamngheo.api.schemas.common import Flag, Input, Money, Text
from giamngheo.api.schemas.reviews import IndicatorOut
from giamngheo.registry.models import AreaType, EducationLevel, LatrineType, Sex, WaterSource, WorkStatus
from giamngheo.reviews.models import PovertyClass


class MemberFactsIn(Input):
    age: Annotated[int, Field(ge=0, le=150)] | None = None
    sex: Sex | None = None
    has_health_insurance: Flag | None = None
    in_education: Flag | None = None
    education_level: EducationLevel | None = None
    work_status: WorkStatus | None = None
    has_labour_contract: Flag = False
    able_to_work: Flag | None = None
    disabled: Flag = False
    receives_social_allowance: Flag = False
    malnourished: Flag | None = None
    on_the_job_training_certified: Flag = False


class LivingFactsIn(Input):
    wall_durable: Flag | None = None
    pillar_durable: Flag | None = None
    roof_durable: Flag | None = None
    floor_area_m2: Annotated[float, Field(ge=0, le=99_999.99, allow_inf_nan=False)] | None = None
    water_source: WaterSource | None = None
    latrine_type: LatrineType | None = None
    uses_internet: Flag | None = None
    has_phone: Flag | None = None
    has_tv: Flag | None = None
    has_radio: Flag | None = None
    has_computer: Flag | None = None
    has_smartphone: Flag | None = None
    waste_collected: Flag | None = None
    hears_loudspeaker: Flag | None = None


class ClassifyIn(Input):
    standard: Annotated[Text, Field(max_length=40)] | None = Field(
        None, description="Mã chuẩn nghèo (ví dụ ND07-2021); mặc định chuẩn có hiệu lực hôm nay"
    )
    area_type: AreaType = AreaType.RURAL
    income_per_capita: Money = Field(description="Đồng/người/tháng")
    is_agri: Flag = False
    entered: dict[Annotated[Text, Field(max_length=40)], Flag] = Field(
        default_factory=dict, description="Chỉ số thiếu hụt theo phiếu: {mã chỉ số: true/false}"
    )
    members: list[MemberFactsIn] = Field(default_factory=list, max_length=100)
    living: LivingFactsIn | None = None


class ClassifyOut(Schema):
    standard: str
    standard_name: str
    poverty_class: PovertyClass
    poverty_class_label: str
    deprivation_count: int
    indicator_total: int
    cutoff: int
    income_per_capita: int
    poverty_line: int
    lower_line: int | None
    middle_line: int | None
    indicators: list[IndicatorOut]
    explanation: str
