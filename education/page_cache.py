"""Serve readers' pages from memory, so a shared guide costs no rendering and no database.

Each web process keeps the rendered bytes of the public reading pages it has served to
visitors without a session, from the views marked `@cacheable_page` where they are defined
(education/views.py). Whether they are still current is decided by one shared
"content version" (in the shared cache: PostgreSQL or Redis), read at most once every
PAGE_CACHE_VERSION_SECONDS; a staff edit to a guide or topic bumps it, so within that time
every process and server serves the new page. If the database is unreachable, pages
already in memory are still served (a reader in crisis still gets the guide and the phone
number); everything else answers with the 503 page.
"""

import contextlib
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

from intake.hours import open_until

VERSION_KEY = "education:content-version"
MAX_PAGES = 500


def cacheable_page(view):
    """Mark a view whose page the middleware may keep and serve from memory.

    Only for pages that are the same for every visitor without a session. On a class-based
    view: `@method_decorator(cacheable_page, name="dispatch")`, as with `csrf_exempt`.
    """
    view.cacheable_page = True
    return view


def bump_content_version() -> None:
    """Called once a change to a guide or topic is committed: every process drops its pages."""
    # The edit is saved by now: if the shared cache cannot be reached this moment, a 500
    # would tell staff it failed when it did not.
    with contextlib.suppress(DatabaseError):
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


class ContentVersion:
    """The shared content version as one process sees it, read at most every
    PAGE_CACHE_VERSION_SECONDS: what the kept pages and the kept search results are checked
    against."""

    def __init__(self):
        self.value: str | None = None
        self.checked_at = 0.0

    def current(self) -> str | None:
        """The shared content version, or None when it cannot be read (database down)."""
        now = time.monotonic()
        if now - self.checked_at < settings.PAGE_CACHE_VERSION_SECONDS:
            return self.value
        try:
            version = cache.get(VERSION_KEY)
            if version is None:
                version = uuid.uuid4().hex
                cache.add(VERSION_KEY, version, timeout=None)
                version = cache.get(VERSION_KEY, version)
        except DatabaseError:
            version = None
        self.value, self.checked_at = version, now
        return version


# The version search's kept answers and pages are checked against (education/views.py).
_kept_version = ContentVersion()


def kept_version() -> str | None:
    """The content version to keep something under in this process now, or None when nothing
    may be kept: tests (unless one turns the page cache on), or the database unreachable."""
    return _kept_version.current() if settings.PAGE_CACHE_ENABLED else None


class KeptInMemory:
    """Values one process keeps under the content version they were made from; a value made
    from older content is not returned. All are dropped once MAX_PAGES are kept."""

    def __init__(self):
        self.values: dict = {}

    def get(self, key, version: str | None):
        kept = self.values.get(key)
        return kept[1] if version is not None and kept is not None and kept[0] == version else None

    def keep(self, key, version: str | None, value) -> None:
        if version is None:
            return
        if len(self.values) >= MAX_PAGES:
            self.values.clear()
        self.values[key] = (version, value)


# Address -> whether its view is marked: resolving an address (about 65 µs here) for every
# form, search and post that is never kept cost more than the rest of this middleware.
_marked: dict[tuple[str, str], bool] = {}


def _view_is_cacheable(request) -> bool:
    """Whether the view this address leads to is marked `@cacheable_page`."""
    urlconf = getattr(request, "urlconf", None)
    # The address alone sets the language; the URLconf is named in case a test swaps it.
    key = (urlconf or settings.ROOT_URLCONF, request.path_info)
    marked = _marked.get(key)
    if marked is None:
        try:
            match = resolve(request.path_info, urlconf)
        except Resolver404:
            marked = False
        else:
            marked = getattr(match.func, "cacheable_page", False)
        if len(_marked) >= MAX_PAGES:
            _marked.clear()  # addresses are the visitor's to choose: keep the memory bounded
        _marked[key] = marked
    return marked


class PageCacheMiddleware:
    """Keeps and serves rendered public pages for visitors without a session.

    It sits early in MIDDLEWARE, right after LanguageMiddleware (i18n_patterns matches /es/
    only while Spanish is active, and the look-up resolves the address): a kept page skips
    the middleware below it, whose work it does not need. So it keeps every header those
    gave the page (CSP, HSTS, X-Frame-Options, Referrer-Policy, ETag, Cache-Control ...)
    and answers a browser's revalidation with the 304 ConditionalGetMiddleware would give.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.pages: dict[tuple[str, str, bool, bool], tuple[str, bytes, list]] = {}
        self.content_version = ContentVersion()

    def __call__(self, request):
        if not self._eligible(request):
            return self.get_response(request)
        # get_host() also refuses foreign hosts; https pages carry HSTS and plain http ones
        # redirect. Every page's header says whether the clinic is open now, so a page kept
        # while open is not served once it has closed.
        key = (
            request.get_host(),
            request.path,
            request.is_secure(),
            open_until(timezone.now()) is not None,
        )
        entry = self.pages.get(key)
        # Only a marked view's page is ever kept, so a kept page skips the look-up: resolving
        # the address (about 65 µs here) costs more than replaying the page.
        if entry is None and not _view_is_cacheable(request):
            return self.get_response(request)
        version = self.content_version.current()
        if entry is not None and (version is None or entry[0] == version):
            response = self._replay(entry, request)
            if version is not None:
                # What the WSGI layer (recovery_site/wsgi.py) checks its copy against.
                response.kept_under = (self.content_version, version)
            return response
        response = self.get_response(request)
        if version is not None and self._cacheable(response):
            if len(self.pages) >= MAX_PAGES:
                self.pages.clear()
            headers = [item for item in response.items() if item[0] != "Content-Length"]
            self.pages[key] = (version, response.content, headers)
        return response

    @staticmethod
    def _eligible(request) -> bool:
        meta = request.META
        return (
            settings.PAGE_CACHE_ENABLED
            and request.method in {"GET", "HEAD"}
            and not meta.get("QUERY_STRING")
            # Rare preconditions a 304 does not answer: the full stack decides those.
            and "HTTP_IF_MATCH" not in meta
            and "HTTP_IF_UNMODIFIED_SINCE" not in meta
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
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

    @staticmethod
    def _replay(entry, request) -> HttpResponse:
        _version, content, headers = entry
        response = HttpResponse(content if request.method == "GET" else b"", headers=headers)
        response["Content-Length"] = str(len(content))
        if "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META:
            return _revalidated(request, response)
        return response


# What a 304 leaves out (RFC 9110 15.4.5): the body's own description.
_NOT_ON_A_304 = {"Content-Type", "Content-Length"}


def _revalidated(request, page: HttpResponse) -> HttpResponse:
    """The 304 ConditionalGetMiddleware gives a browser that has the page, or the page.

    A fresh 304 gets, besides what Django copies from the page, the headers the middleware
    above ConditionalGetMiddleware adds to every response (CSP, X-Frame-Options ...): here
    they come from the kept page.
    """
    answer = get_conditional_response(
        request,
        etag=page.get("ETag"),
        last_modified=parse_http_date_safe(page.get("Last-Modified")),
        response=page,
    )
    if answer is not page:
        for name, value in page.items():
            if name not in _NOT_ON_A_304:
                answer.headers.setdefault(name, value)
    return answer
