"""Shared input types: ids, plain text a database column can hold, money as integer đồng, and the base of every
request body (unknown fields refused)."""

import re
from datetime import date
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Strict

MAX_ID = 2**63 - 1
MAX_MONEY = 10**12  # đồng per person per month: far above any real income, inside a 64-bit column
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _plain_text(value: str) -> str:
    """Text a database column can hold: no NUL character and no lone UTF-16 surrogate."""
    if "\x00" in value:
        raise ValueError(_("không được chứa ký tự NUL"))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(_("chứa ký tự Unicode không hợp lệ")) from exc
    return value


class Input(Schema):
    """A request body: unknown fields are refused (a misspelt field must not be ignored in silence), and a value
    of the wrong JSON type is refused rather than read through its attributes."""

    model_config = ConfigDict(extra="forbid")


def _iso_day(value: Any) -> Any:
    """Only an ISO date (YYYY-MM-DD) is a date: pydantic alone would also read a number as a Unix time."""
    if isinstance(value, str) and not ISO_DAY.fullmatch(value):
        raise ValueError(_("phải là ngày dạng YYYY-MM-DD"))
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(_("phải là ngày dạng YYYY-MM-DD"))
    return value


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Text = Annotated[str, AfterValidator(_plain_text)]
Money = Annotated[int, Field(ge=0, le=MAX_MONEY)]
Day = Annotated[date, BeforeValidator(_iso_day)]
# In a JSON body a yes/no is true or false: pydantic alone would also read 0, 1 or 0.0 as one.
Flag = Annotated[bool, Strict()]


class Stamp(Input):
    """What the client saw, for clients that cannot send `If-Match` (see `api.preconditions`); a part not sent
    is not checked, and a write with neither these nor `If-Match` is refused with 428."""

    expected_version: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = Field(
        None,
        description="Phiên bản hộ khi bạn bắt đầu sửa (trường version của hộ); đã đổi → 409. "
        "Nên dùng tiêu đề If-Match với ETag đã nhận.",
    )
    last_event_id: Annotated[int, Field(ge=0, le=2**62)] | None = Field(
        None,
        description="Mục lịch sử cuối cùng bạn đã thấy (trường last_event_id của hộ); "
        "có thay đổi liên quan sau đó → 409",
    )


STAMP_FIELDS = frozenset(Stamp.model_fields)
