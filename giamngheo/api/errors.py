"""Every API error is JSON with a Vietnamese `message` (and, for bad input, `errors` per field).

- 401: no valid token and no session; 403: visible but not yours to change (or a CSRF failure on a session);
- 404: missing *or outside the caller's area* — the same body, so a probe learns nothing about other areas;
- 409: stale `expected_version` / `last_event_id` in the body, 412: a stale `If-Match` (both list what changed
  meanwhile, from `registry.concurrency.StaleCopyError`); 428: a write that says nothing of what it saw
  (`api.preconditions`); 409 with code "closed_round": a write into a round whose cut-off date has passed;
- 422: input the schema or a service refused, each message naming the field.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from giamngheo.api.preconditions import LocalizedHttpError, stale_status
from giamngheo.registry.concurrency import StaleCopyError
from giamngheo.reviews.rounds import ClosedRoundError

logger = logging.getLogger(__name__)

# Services name model fields; the API names the ids it takes.
_API_FIELD = {
    "commune": "commune_id",
    "village": "village_id",
    "head": "head_id",
    "ethnicity": "ethnicity_id",
}


class Error(Schema):
    message: str
    errors: dict[str, list[str]] | None = None


class ConflictError(Schema):
    """409/412: a stale copy (`code` "stale_copy", with the versions and what changed meanwhile), or a write into a
    round whose cut-off date has passed (`code` "closed_round")."""

    message: str
    code: str
    expected_version: int | None = None
    current_version: int | None = None
    changes: dict[str, list[Any]] | None = None


def _json(api: NinjaAPI, request: HttpRequest, status: int, body: Mapping[str, Any]) -> HttpResponse:
    return api.create_response(request, dict(body), status=status)


def _joined(errors: Mapping[str, Sequence[str]]) -> str:
    parts = []
    for field, messages in errors.items():
        for message in messages:
            parts.append(message if field in {NON_FIELD_ERRORS, ""} else f"«{field}»: {message}")
    return "; ".join(parts)


# Pydantic error types in Vietnamese; `{...}` are filled from the error's context.
_PYDANTIC_MESSAGES: dict[str, Any] = {
    "missing": gettext_lazy("bắt buộc, chưa có giá trị"),
    "int_parsing": gettext_lazy("phải là số nguyên"),
    "int_type": gettext_lazy("phải là số nguyên"),
    "int_from_float": gettext_lazy("phải là số nguyên"),
    "float_parsing": gettext_lazy("phải là số"),
    "float_type": gettext_lazy("phải là số"),
    "finite_number": gettext_lazy("phải là số hữu hạn"),
    "decimal_parsing": gettext_lazy("phải là số"),
    "bool_parsing": gettext_lazy("phải là true hoặc false"),
    "bool_type": gettext_lazy("phải là true hoặc false"),
    "greater_than_equal": gettext_lazy("phải lớn hơn hoặc bằng {ge}"),
    "greater_than": gettext_lazy("phải lớn hơn {gt}"),
    "less_than_equal": gettext_lazy("phải nhỏ hơn hoặc bằng {le}"),
    "less_than": gettext_lazy("phải nhỏ hơn {lt}"),
    "string_type": gettext_lazy("phải là chuỗi ký tự"),
    "string_too_long": gettext_lazy("dài quá {max_length} ký tự"),
    "string_too_short": gettext_lazy("phải có ít nhất {min_length} ký tự"),
    "string_pattern_mismatch": gettext_lazy("không đúng dạng (cần khớp {pattern})"),
    "date_parsing": gettext_lazy("phải là ngày dạng YYYY-MM-DD"),
    "date_from_datetime_parsing": gettext_lazy("phải là ngày dạng YYYY-MM-DD"),
    "date_from_datetime_inexact": gettext_lazy("phải là ngày dạng YYYY-MM-DD"),
    "date_type": gettext_lazy("phải là ngày dạng YYYY-MM-DD"),
    "enum": gettext_lazy("phải là một trong: {expected}"),
    "literal_error": gettext_lazy("phải là một trong: {expected}"),
    "dict_type": gettext_lazy("phải là một đối tượng JSON"),
    "model_type": gettext_lazy("phải là một đối tượng JSON"),
    "model_attributes_type": gettext_lazy("phải là một đối tượng JSON"),
    "list_type": gettext_lazy("phải là một danh sách"),
    "json_invalid": gettext_lazy("không phải JSON hợp lệ"),
    "extra_forbidden": gettext_lazy("không phải là trường được hỗ trợ"),
}


def _field_name(loc: Sequence[Any]) -> str:
    """("body", "payload", "entered", "x") -> "entered.x"; ("query", "limit") -> "limit"."""
    rest = [str(part) for part in loc[1:]]
    if loc and loc[0] == "body" and rest and rest[0] == "payload":
        rest = rest[1:]
    return ".".join(rest) or str(loc[0] if loc else "")


def _pydantic_message(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    context = dict(error.get("ctx") or {})
    if kind == "value_error" and "error" in context:
        return str(context["error"])
    template = _PYDANTIC_MESSAGES.get(kind)
    if template is None:
        return str(error.get("msg", kind))
    if "expected" in context:  # pydantic's "'nam' or 'nu'"
        context["expected"] = str(context["expected"]).replace(" or ", ", ")
    try:
        return str(template).format(**context)
    except (KeyError, IndexError):
        return str(error.get("msg", kind))


def input_errors(errors: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    by_field: dict[str, list[str]] = {}
    for error in errors:
        by_field.setdefault(_field_name(error.get("loc", ())), []).append(_pydantic_message(error))
    return by_field


def register(api: NinjaAPI) -> None:
    """Install the handlers on `api` (replacing ninja's English defaults). Ninja looks a handler up by the
    exception's class (most specific first), so `StaleCopyError` wins over Django's `ValidationError`."""

    def unauthenticated(request: HttpRequest, exc: Any) -> HttpResponse:
        if request.headers.get("Authorization"):
            message = _("Mã API không hợp lệ hoặc đã bị thu hồi.")
        else:
            message = _(
                "Cần đăng nhập hoặc gửi mã API trong tiêu đề «Authorization: Bearer <mã>» "
                "(tạo mã ở trang «Mã API»)."
            )
        response = _json(api, request, 401, {"message": message})
        response["WWW-Authenticate"] = 'Bearer realm="giamngheo"'
        return response

    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return _json(api, request, 404, {"message": str(exc) or _("Không tìm thấy.")})

    def forbidden(request: HttpRequest, exc: Any) -> HttpResponse:
        message = str(exc) or _("Tài khoản của bạn không được làm việc này.")
        return _json(api, request, 403, {"message": message})

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        messages = {
            400: _("Không đọc được nội dung yêu cầu: cần JSON hợp lệ, mã hoá UTF-8."),
            403: _("Thiếu hoặc sai mã CSRF: gửi mã trong tiêu đề X-CSRFToken, hoặc dùng mã API."),
            429: _("Quá nhiều yêu cầu; hãy thử lại sau."),
        }
        own = isinstance(exc, LocalizedHttpError)
        message = str(exc) if own else messages.get(exc.status_code, str(exc))
        return _json(api, request, exc.status_code, {"message": message})

    def stale_copy(request: HttpRequest, exc: Any) -> HttpResponse:
        body = {
            "message": exc.messages[0],
            "code": "stale_copy",
            "expected_version": exc.expected_version,
            "current_version": exc.current_version,
            "changes": exc.changes,
        }
        return _json(api, request, stale_status(request), body)

    def closed_round(request: HttpRequest, exc: Any) -> HttpResponse:
        return _json(api, request, 409, {"message": exc.messages[0], "code": "closed_round"})

    def invalid(request: HttpRequest, exc: Any) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            errors = {
                _API_FIELD.get(name, name): list(messages) for name, messages in exc.message_dict.items()
            }
        else:
            errors = {NON_FIELD_ERRORS: list(exc.messages)}
        message = _("Dữ liệu không hợp lệ: %(details)s") % {"details": _joined(errors)}
        return _json(api, request, 422, {"message": message, "errors": errors})

    def schema_invalid(request: HttpRequest, exc: Any) -> HttpResponse:
        errors = input_errors(exc.errors)
        message = _("Dữ liệu không hợp lệ: %(details)s") % {"details": _joined(errors)}
        return _json(api, request, 422, {"message": message, "errors": errors})

    def server_error(request: HttpRequest, exc: Any) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        return _json(api, request, 500, {"message": _("Lỗi máy chủ; lỗi đã được ghi lại.")})

    api.add_exception_handler(Exception, server_error)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(DjangoValidationError, invalid)
    api.add_exception_handler(StaleCopyError, stale_copy)
    api.add_exception_handler(ClosedRoundError, closed_round)
    api.add_exception_handler(NinjaValidationError, schema_invalid)
