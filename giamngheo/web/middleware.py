"""Vietnamese first: the site speaks Vietnamese unless the user chose English with the switch in the header.

Django's LocaleMiddleware would follow the browser's Accept-Language, so an officer whose laptop is set to English
would get English pages without asking. Here only the language cookie that the switch (`set_language`) writes
counts; everything else gets `LANGUAGE_CODE` (Vietnamese).
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
        translation.activate(chosen if chosen in supported else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
