"""WSGI entry point for gunicorn: Django, behind a thin layer that answers with kept pages.

A reader's page the page cache (education/page_cache.py) has already served from memory is
answered here the next time, as the same bytes and headers Django sent, without building a
request, running the middleware or firing Django's request signals: a third of a kept
page's time went there. Its one log line and its X-Request-ID are written as
RequestLogMiddleware writes them. Everything else, and any page this layer is unsure of,
goes to Django.
"""

import os
import time

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery_site.settings")

django_application = get_wsgi_application()

# Only once Django is set up.
from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIRequest  # noqa: E402
from django.utils import timezone  # noqa: E402

from education.page_cache import MAX_PAGES  # noqa: E402
from intake.hours import open_until  # noqa: E402
from recovery_site import request_context  # noqa: E402
from recovery_site.middleware import log_request, request_id_from  # noqa: E402

# Headers that decide the host and scheme a page is kept under (USE_X_FORWARDED_HOST,
# SECURE_PROXY_SSL_HEADER), or a request the page cache leaves to the full stack.
FORWARDED = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT")
CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH",
               "HTTP_IF_UNMODIFIED_SINCE")  # fmt: skip
REQUEST_ID = "X-Request-ID"


class KeptPagesApplication:
    """Answers a plain GET for a page Django last answered from the page cache with that
    answer, while the page cache's content version is still current; else calls Django."""

    def __init__(self, application):
        self.application = application
        # key: (content version holder, version, status, headers, body, path for the log)
        self.pages: dict[tuple, tuple] = {}

    def __call__(self, environ, start_response):
        key = self._key(environ) if self._eligible(environ) else None
        page = self.pages.get(key) if key is not None else None
        if page is not None and self._current(page):
            return self._answer(page, environ, start_response)
        answered = []

        def remember_start(status, headers, exc_info=None):
            answered.append((status, headers))
            return start_response(status, headers, exc_info)

        response = self.application(environ, remember_start)
        kept_under = getattr(response, "kept_under", None)
        if key is not None and kept_under is not None and answered[0][0].startswith("200 "):
            if len(self.pages) >= MAX_PAGES:
                self.pages.clear()
            status, headers = answered[0]
            path = WSGIRequest(environ).path  # as Django logs it
            self.pages[key] = (*kept_under, status, headers, response.content, path)
        return response

    @staticmethod
    def _eligible(environ) -> bool:
        """What PageCacheMiddleware asks of a request, and a plain GET with no body."""
        return (
            settings.PAGE_CACHE_ENABLED
            and environ.get("REQUEST_METHOD") == "GET"
            and not environ.get("QUERY_STRING")
            and environ.get("CONTENT_LENGTH") in (None, "", "0")
            and not any(name in environ for name in CONDITIONAL)
            and settings.SESSION_COOKIE_NAME not in environ.get("HTTP_COOKIE", "")
        )

    @staticmethod
    def _key(environ) -> tuple:
        """Everything the page cache's own key (host, path, https, open now) comes from."""
        forwarded = tuple(environ.get(name) for name in FORWARDED)
        return (
            environ.get("PATH_INFO"),
            environ.get("SCRIPT_NAME"),
            environ.get("HTTP_HOST"),
            environ.get("SERVER_NAME"),
            environ.get("SERVER_PORT"),
            environ.get("wsgi.url_scheme"),
            forwarded,
            # Forwarded headers count only from a trusted proxy (recovery_site/proxies.py).
            environ.get("REMOTE_ADDR") if any(forwarded) else None,
            open_until(timezone.now()) is not None,
        )

    @staticmethod
    def _current(page) -> bool:
        """Whether the page cache would still serve this page without checking the shared
        content version again (when it must check, Django answers)."""
        holder, version = page[0], page[1]
        fresh = time.monotonic() - holder.checked_at < settings.PAGE_CACHE_VERSION_SECONDS
        return fresh and holder.value == version

    @staticmethod
    def _answer(page, environ, start_response):
        _holder, _version, status, headers, body, path = page
        request_id = request_id_from(environ.get("HTTP_X_REQUEST_ID", ""))
        token = request_context.request_id.set(request_id)
        started = time.perf_counter()
        try:
            start_response(status, [(name, request_id if name == REQUEST_ID else value)
                                    for name, value in headers])  # fmt: skip
            log_request("GET", path, int(status[:3]), started)
        finally:
            request_context.request_id.reset(token)
        return [body]


application = KeptPagesApplication(django_application)
