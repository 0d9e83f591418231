"""Language choice: Vietnamese unless the person picked English with the language switch.

Django's LocaleMiddleware would follow the browser's Accept-Language, so an officer with an English
browser would get an English counter screen; a provincial portal is Vietnamese first.
"""

from django.conf import settings
from django.utils import translation


class PreferencesLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        supported = {code for code, _ in settings.LANGUAGES}
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or settings.LANGUAGE_CODE
        if language not in supported:
            language = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override() restores the previous language afterwards, so one request's English never leaks
        # into the next request handled by the same thread (or the next test).
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
