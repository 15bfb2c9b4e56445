"""Vietnamese first: the site speaks Vietnamese unless the user chose English with the switch in the header.

Django's LocaleMiddleware would follow the browser's Accept-Language, so an officer whose laptop is set to English
would get English pages without asking. Here only the language cookie that the switch (`set_language`) writes
counts; everything else gets `LANGUAGE_CODE` (Vietnamese).

The API under /api/ is read by programs, which say what they want the HTTP way: there the language cookie if set,
else an `Accept-Language` header naming a supported language, else Vietnamese; the response says which language it
is in (`Content-Language`).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        if request.path_info.startswith("/api/"):
            chosen = translation.get_language_from_request(request)  # cookie, then Accept-Language
        translation.activate(chosen if chosen in supported else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
