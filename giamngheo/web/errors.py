"""Error pages (400, 403, 404, 500) in the site's layout, each with its reason and a way back.

- 403 and 404 show the message the view raised (already translated when raised, e.g. "Không tìm thấy hộ gia
  đình."). The access functions raise the same message for a record that is missing and one outside the user's
  area, and the page repeats nothing from the request (no path, no CSRF token), so both answers stay
  byte-identical and a probe learns nothing about other areas (`giamngheo.accounts.access`).
- 400 and 500 are rendered without context processors: no session, user or database is read, so the page appears
  when the database is down or the request is broken. If the template itself fails, a plain page built here
  goes out instead.
- The API answers its own errors in JSON (`giamngheo.api.errors`); an error raised before a request reaches it
  gets a JSON body here too.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.urls import Resolver404, reverse
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

TEMPLATE = "web/error.html"
API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _raised_message(exception: BaseException | None) -> str:
    """The message a view raised with, if any: not a URL resolver's dictionary nor an empty message."""
    if exception is None or isinstance(exception, Resolver404) or not exception.args:
        return ""
    message = exception.args[0]
    return str(message) if isinstance(message, str | Promise) else ""


def _previous_page(request: HttpRequest) -> str:
    """The page the browser came from, as a path on this site (never an outside address), or ""."""
    try:
        referer = request.META.get("HTTP_REFERER", "")
        hosts = {request.get_host()}
        if not referer or not url_has_allowed_host_and_scheme(
            referer, allowed_hosts=hosts, require_https=request.is_secure()
        ):
            return ""
        parts = urlsplit(referer)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        # The path alone must stay on this site too: "//elsewhere.example/" would leave it.
        if not path.startswith("/") or not url_has_allowed_host_and_scheme(path, allowed_hosts=hosts):
            return ""
        return "" if path == request.get_full_path() else path
    except Exception:  # e.g. a disallowed Host header (a 400 of its own): no link then
        return ""


def _url(name: str, fallback: str) -> str:
    try:
        return reverse(name)
    except Exception:  # a 500 page must not fail on a broken URL configuration
        return fallback


def _context(
    request: HttpRequest, status: int, title: str, reason: str, *, sign_in: bool = False
) -> dict[str, Any]:
    return {
        "status": status,
        "title": title,
        "reason": reason,
        "previous_page": _previous_page(request),
        "home_url": _url("web:household-list", "/"),
        "sign_in_url": _url("login", "/dang-nhap/") if sign_in else "",
        "LANGUAGE_CODE": get_language(),
    }


def _plain_page(context: dict[str, Any]) -> str:
    """The last resort when the template cannot be rendered: no template engine, no stylesheet."""
    language = escape(context.get("LANGUAGE_CODE") or "vi")
    title = escape(context["title"])
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title></head><body><h1>{title}</h1><p>{escape(context['reason'])}</p>"
        f'<p><a href="{escape(context["home_url"])}">{escape(_("Về danh sách hộ"))}</a></p></body></html>'
    )


def _safe_body(context: dict[str, Any]) -> str:
    """The page in the layout without context processors (nothing that reads the session, the user or the
    database); the plain page if even that fails."""
    try:
        return loader.get_template(TEMPLATE).render(context)
    except Exception:
        logger.exception("The error page could not be rendered in the layout; sending the plain page")
        return _plain_page(context)


def _page(request: HttpRequest, context: dict[str, Any], *, with_request: bool) -> HttpResponse:
    """The page with the account's menu (context processors) when `with_request`, else the safe page."""
    body = ""
    if with_request:
        try:
            body = loader.get_template(TEMPLATE).render(context, request)
        except Exception:
            logger.exception("The error page could not be rendered with the request; sending the safe page")
    return HttpResponse(body or _safe_body(context), status=context["status"])


def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    reason = _("Trình duyệt đã gửi một yêu cầu mà máy chủ không đọc được. Hãy quay lại và thử lại.")
    if _is_api(request):
        return JsonResponse({"message": reason}, status=400)
    context = _context(request, 400, _("Yêu cầu không hợp lệ"), reason)
    return _page(request, context, with_request=False)


def permission_denied(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    reason = _raised_message(exception) or _("Tài khoản của bạn không được làm việc này.")
    if _is_api(request):
        return JsonResponse({"message": reason}, status=403)
    context = _context(request, 403, _("Không được phép"), reason, sign_in=True)
    return _page(request, context, with_request=True)


def page_not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    reason = _raised_message(exception) or _("Không tìm thấy trang này. Địa chỉ có thể đã gõ sai hoặc đã cũ.")
    if _is_api(request):
        return JsonResponse({"message": reason}, status=404)
    context = _context(request, 404, _("Không tìm thấy"), reason, sign_in=True)
    return _page(request, context, with_request=True)


def server_error(request: HttpRequest) -> HttpResponse:
    reason = _("Máy chủ gặp lỗi khi xử lý yêu cầu này; lỗi đã được ghi lại. Hãy thử lại sau ít phút.")
    if _is_api(request):
        return JsonResponse({"message": _("Lỗi máy chủ; lỗi đã được ghi lại.")}, status=500)
    context = _context(request, 500, _("Lỗi máy chủ"), reason)
    return _page(request, context, with_request=False)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check (CSRF_FAILURE_VIEW): most often a page left open while the user signed in
    again elsewhere. Django's `reason` is for developers (the CSRF middleware logs it), not for the user."""
    message = _(
        "Biểu mẫu này đã cũ: phiên đăng nhập đã thay đổi từ khi trang được mở (ví dụ bạn vừa đăng nhập lại ở thẻ "
        "khác). Hãy tải lại trang rồi gửi lại."
    )
    if _is_api(request):
        return JsonResponse({"message": message}, status=403)
    context = _context(request, 403, _("Không được phép"), message, sign_in=True)
    return _page(request, context, with_request=True)
