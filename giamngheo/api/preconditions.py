"""HTTP preconditions for writes (RFC 9110 §13, RFC 6585 §3): optimistic concurrency the way REST clients expect.

Every response about a household (the household, its members, its assessments) carries an `ETag` naming what the
client now holds: the household's version and its last history entry (`registry.concurrency.Seen.etag`). A write
to an existing household sends it back in `If-Match` (or, for clients that cannot set headers, the same two values
as `expected_version` and `last_event_id` in the body). A write that sends neither is refused with
428 Precondition Required instead of silently overwriting someone else's change. The check itself is the
services' (`concurrency.refuse_if_stale`): a stale `If-Match` answers 412 Precondition Failed, stale body fields
409 Conflict, both listing what changed meanwhile.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from giamngheo.api.schemas.common import Stamp
from giamngheo.registry.concurrency import Seen, last_event_id
from giamngheo.registry.models import Household

# Set on the request when the write's copy came from If-Match, so that a stale copy answers 412 rather than 409.
VIA_IF_MATCH = "_giamngheo_if_match"


class LocalizedHttpError(HttpError):
    """An HttpError whose message is already the text to send (translated), not one of ninja's own."""


class PreconditionRequired(LocalizedHttpError):
    def __init__(self) -> None:
        super().__init__(
            428,
            _(
                "Thiếu điều kiện ghi: gửi lại ETag đã nhận trong tiêu đề If-Match (hoặc expected_version và "
                "last_event_id trong nội dung) để không ghi đè thay đổi của người khác."
            ),
        )


def seen_for_write(request: HttpRequest, stamp: Stamp) -> Seen:
    """What the client says it saw: the `If-Match` entity tag, else the body's fields; 428 when neither is sent,
    400 when `If-Match` is not a tag this API issued. `If-Match: *` (any current version) is an explicit choice
    to write without a check."""
    header = request.headers.get("If-Match")
    if header is not None:
        if header.strip() == "*":
            return Seen()
        seen = Seen.from_etag(header)
        if seen is None:
            raise LocalizedHttpError(
                400,
                _("Tiêu đề If-Match «%(value)s» không phải là ETag do API này cấp.") % {"value": header[:80]},
            )
        setattr(request, VIA_IF_MATCH, True)
        return seen
    if stamp.expected_version is None and stamp.last_event_id is None:
        raise PreconditionRequired()
    return Seen(version=stamp.expected_version, event_id=stamp.last_event_id)


def stale_status(request: HttpRequest) -> int:
    """412 when the stale copy came from If-Match, else 409."""
    return 412 if getattr(request, VIA_IF_MATCH, False) else 409


def tag(response: HttpResponse, household: Household, *, event_id: int | None = None) -> None:
    """Put the household's current entity tag on `response` (`event_id`: its last history entry when known)."""
    seen = Seen(
        version=household.version, event_id=last_event_id(household) if event_id is None else event_id
    )
    response["ETag"] = seen.etag
