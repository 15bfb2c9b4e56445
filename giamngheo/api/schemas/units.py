"""Administrative units: reference data for any signed-in account."""

from datetime import date
from typing import Annotated, Any

from django.db.models import Q
from ninja import Field, Schema

from giamngheo.api.schemas.common import Day, Id, Text
from giamngheo.areas.models import UnitLevel, Village, VillageKind
from giamngheo.areas.selectors import predecessors, successors


class UnitRef(Schema):
    id: int
    code: str
    name: str
    level: UnitLevel
    unit_type: str


class UnitOut(UnitRef):
    parent_id: int | None
    valid_from: date | None = Field(description="Trống: trước khi có dữ liệu")
    valid_to: date | None = Field(description="Trống: còn hiệu lực")


class VillageOut(Schema):
    id: int
    local_code: str
    name: str
    kind: VillageKind
    commune_id: int
    legacy_commune_id: int | None = Field(
        description="Xã của thôn trước 01/07/2025, khi thôn nay thuộc xã mới (commune_id là xã hiện nay)"
    )


class UnitDetail(UnitOut):
    parent: UnitRef | None
    predecessors: list[UnitRef] = Field(description="Đơn vị cũ chuyển địa bàn vào đơn vị này")
    successors: list[UnitRef] = Field(description="Đơn vị mới nhận địa bàn của đơn vị này")
    villages: list[VillageOut] = Field(description="Thôn của xã (kể cả thôn nhận từ xã cũ bị chia)")

    @staticmethod
    def resolve_predecessors(obj: Any) -> list[Any]:
        return list(predecessors(obj))

    @staticmethod
    def resolve_successors(obj: Any) -> list[Any]:
        return list(successors(obj))

    @staticmethod
    def resolve_villages(obj: Any) -> list[Any]:
        return list(
            Village.objects.filter(Q(commune=obj) | Q(legacy_commune=obj)).order_by(
                "commune_id", "local_code"
            )
        )


class UnitFilters(Schema):
    level: UnitLevel | None = None
    parent: Id | None = Field(None, description="id của đơn vị cấp trên")
    code: Annotated[Text, Field(max_length=5)] | None = None
    valid_on: Day | None = Field(None, description="Chỉ các đơn vị có hiệu lực vào ngày này")
    q: Annotated[Text, Field(max_length=120)] | None = Field(
        None, description="Tìm theo tên, không phân biệt dấu"
    )
