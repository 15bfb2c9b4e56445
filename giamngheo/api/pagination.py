"""Lists are paginated with `limit` and `offset`; every page says how many items match in all (`count`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
# Far beyond any list here, and well inside the 64-bit OFFSET both databases accept.
MAX_OFFSET = 1_000_000_000


class Page(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Số mục tối đa trên một trang")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Bỏ qua bấy nhiêu mục đầu")

    class Output(Schema):
        count: int = Field(description="Tổng số mục khớp bộ lọc")
        limit: int
        offset: int
        items: list[Any]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        offset, limit = pagination.offset, min(pagination.limit, MAX_LIMIT)
        return {
            "count": self._items_count(queryset),
            "limit": limit,
            "offset": offset,
            "items": queryset[offset : offset + limit],
        }
