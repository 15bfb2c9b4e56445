"""Classifying an ad-hoc household: the facts the engine reads, and its answer."""

from typing import Annotated

from ninja import Field, Schema

from giamngheo.api.schemas.common import Day, Flag, Input, Money, Text
from giamngheo.api.schemas.reviews import IndicatorOut
from giamngheo.registry.models import (
    AreaType,
    EducationLevel,
    LatrineType,
    SchoolLevel,
    Sex,
    VocationalLevel,
    WaterSource,
    WorkStatus,
)
from giamngheo.reviews.models import PovertyClass


class MemberFactsIn(Input):
    """A member's facts. Omitted or null = not recorded: the indicators that need it stay undecided, never "no".
    With `birth_date` (and `sex`), age, school age and working age are computed on `on`; `age` alone (whole years)
    decides the rules that read ages but leaves working age unknown."""

    name: Annotated[Text, Field(max_length=120)] | None = Field(None, description="Tên, để giải thích")
    birth_date: Day | None = Field(None, description="Ngày sinh (chỉ biết năm: ngày 01/01 của năm sinh)")
    age: Annotated[int, Field(ge=0, le=150)] | None = Field(
        None, description="Tuổi tròn, khi không gửi ngày sinh"
    )
    sex: Sex | None = None
    has_health_insurance: Flag | None = None
    in_education: Flag | None = None
    school_level: SchoolLevel | None = None
    education_level: EducationLevel | None = None
    vocational_level: VocationalLevel | None = None
    work_status: WorkStatus | None = None
    has_labour_contract: Flag | None = None
    able_to_work: Flag | None = None
    disabled: Flag | None = None
    receives_social_allowance: Flag | None = None
    malnourished: Flag | None = None
    on_the_job_training_certified: Flag | None = None


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
    on: Day | None = Field(None, description="Ngày tính tuổi và độ tuổi lao động (mặc định hôm nay)")


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
    possible_class: PovertyClass = Field(
        description="Phân loại nếu mọi chỉ số chưa rõ đều là thiếu hụt (bằng poverty_class khi không thể thay đổi)"
    )
