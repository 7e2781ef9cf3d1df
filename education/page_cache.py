"""Serve readers' pages from memory, so a shared guide costs no rendering and no database.

Each web process keeps the rendered bytes of the public reading pages it has served to
visitors without a session. Whether they are still current is decided by one shared
"content version" (in the shared cache: PostgreSQL or Redis), read at most once every
PAGE_CACHE_VERSION_SECONDS; a staff edit to a guide or topic bumps it, so within that time
every process and server serves the new page. If the database is unreachable, pages
already in memory are still served (a reader in crisis still gets the guide and the phone
number); everything else answers with the 503 page.
"""

import contextlib
import re
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponse

VERSION_KEY = "education:content-version"
MAX_PAGES = 500
CACHEABLE_PATH = re.compile(
    r"^/(?:|learn/|learn/(?!search/)[-a-zA-Z0-9_]+/|programs/|about/|privacy/)$"
)
KEPT_HEADERS = ("Content-Type", "Last-Modified", "Content-Language", "Vary")


def bump_content_version(**kwargs) -> None:
    """Called when staff change a guide or topic: every process drops its pages."""
    # If the shared cache is unreachable the edit itself failed too: nothing to do.
    with contextlib.suppress(DatabaseError):
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


class PageCacheMiddleware:
    """Keeps and serves rendered public pages for visitors without a session."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.pages: dict[tuple[str, str], tuple[str, bytes, list]] = {}
        self.version: str | None = None
        self.checked_at = 0.0

    def __call__(self, request):
        if not self._eligible(request):
            return self.get_response(request)
        key = (request.get_host(), request.path)  # get_host() also refuses foreign hosts
        version = self._current_version()
        entry = self.pages.get(key)
        if entry is not None and (version is None or entry[0] == version):
            return self._replay(entry, request)
        response = self.get_response(request)
        if version is not None and self._cacheable(response):
            if len(self.pages) >= MAX_PAGES:
                self.pages.clear()
            headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
            self.pages[key] = (version, response.content, headers)
        return response

    @staticmethod
    def _eligible(request) -> bool:
        return (
            settings.PAGE_CACHE_ENABLED
            and request.method in {"GET", "HEAD"}
            and not request.META.get("QUERY_STRING")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and CACHEABLE_PATH.match(request.path) is not None
        )

    @staticmethod
    def _cacheable(response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "nonce-" not in response.get("Content-Security-Policy", "")
            and response.get("Content-Type", "").startswith("text/html")
        )

    def _current_version(self) -> str | None:
        """The shared content version, or None when it cannot be read (database down)."""
        now = time.monotonic()
        if now - self.checked_at < settings.PAGE_CACHE_VERSION_SECONDS:
            return self.version
        try:
            version = cache.get(VERSION_KEY)
            if version is None:
                version = uuid.uuid4().hex
                cache.add(VERSION_KEY, version, timeout=None)
                version = cache.get(VERSION_KEY, version)
        except DatabaseError:
            version = None
        self.version, self.checked_at = version, now
        return version

    @staticmethod
    def _replay(entry, request) -> HttpResponse:
        _version, content, headers = entry
        response = HttpResponse(content if request.method == "GET" else b"")
        for name, value in headers:
            response[name] = value
        response["Content-Length"] = str(len(content))
        return response
