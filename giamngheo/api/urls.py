"""The REST API under /api/: OpenAPI schema at /api/openapi.json, interactive docs at /api/docs (served from
ninja's vendored static files, no CDN). Every operation needs a personal token (`Authorization: Bearer ...`) or a
signed-in session, and reads through the caller's area scope (see `giamngheo.api.auth`, `giamngheo.api.errors`)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, re_path
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger

from giamngheo.api import (
    assessments,
    classify,
    commendations,
    credit,
    decisions,
    errors,
    goals,
    households,
    members,
    procedure,
    programme,
    stats,
    support,
    units,
)
from giamngheo.api.auth import BearerToken, SessionUser


def _unknown_address(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    message = _("Không có địa chỉ API %(path)s; xem danh sách ở /api/docs.") % {"path": request.path}
    return JsonResponse({"message": message}, status=404)


def _with_json_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Ninja answers a wrong method with a plain-text 405 and its root with an HTML 404; here both are JSON."""

    @functools.wraps(view)  # keeps ninja's csrf_exempt mark
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return _unknown_address(request)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allowed = ", ".join(sorted(m.strip() for m in response.get("Allow", "").split(",") if m.strip()))
            message = _("Địa chỉ %(path)s không nhận phương thức %(method)s (chỉ nhận: %(allowed)s).") % {
                "path": request.path,
                "method": request.method,
                "allowed": allowed,
            }
            json = JsonResponse({"message": message}, status=405)
            json["Allow"] = allowed
            return json
        return response

    return wrapped


class GiamngheoAPI(NinjaAPI):
    """NinjaAPI whose every answer, even outside an operation (an unknown address, a wrong method), is JSON."""

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        wrapped: list[URLResolver | URLPattern] = [
            URLPattern(p.pattern, _with_json_errors(p.callback), p.default_args, p.name)
            if isinstance(p, URLPattern)
            else p
            for p in patterns
        ]
        wrapped.append(re_path(r"^.+$", _unknown_address))
        return wrapped, app_name, namespace


DESCRIPTION = """
API của hệ thống thông tin giảm nghèo. Mỗi tài khoản chỉ đọc và sửa được hộ trong địa bàn của mình, như trên
các trang web; hộ ngoài địa bàn trả về 404 giống hệt hộ không tồn tại.

- Xác thực: tạo mã ở trang «Mã API» (`/ma-api/`) rồi gửi tiêu đề `Authorization: Bearer <mã>`; hoặc đăng nhập
  trang web (phiên đăng nhập, kèm mã CSRF khi ghi).
- Danh sách có phân trang `limit`/`offset` và tổng số `count`; tiền là số nguyên đồng; ngày dạng ISO.
  Danh sách hộ tìm và lọc giống hệt trang danh sách hộ.
- Lỗi luôn là JSON có `message` (tiếng Việt), và `errors` theo từng trường khi dữ liệu không hợp lệ.
- Ghi có điều kiện theo HTTP: mỗi câu trả lời về một hộ kèm tiêu đề `ETag`; khi sửa hộ, thành viên hay ghi
  phiếu rà soát, gửi lại ETag đó trong tiêu đề `If-Match` (hoặc `expected_version` và `last_event_id` trong nội
  dung). Hộ đã bị người khác sửa: 412 (If-Match) hoặc 409, kèm những gì đã thay đổi; không gửi điều kiện: 428.
"""

api = GiamngheoAPI(
    title="giamngheo API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[BearerToken(), SessionUser()],
    # No external validator badge: the docs page makes no request outside this site.
    docs=Swagger(settings={"validatorUrl": None}),
)
errors.register(api)
api.add_router("", units.router)
api.add_router("", households.router)
api.add_router("", members.router)
api.add_router("", assessments.router)
api.add_router("", classify.router)
api.add_router("", stats.router)
api.add_router("", decisions.router)
api.add_router("", procedure.router)
api.add_router("", programme.router)
api.add_router("", credit.router)
api.add_router("", support.router)
api.add_router("", goals.router)
api.add_router("", commendations.router)
