"""Site-wide response policies that belong to no single view."""

import logging
import re
import time
import uuid

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control

from recovery_site import request_context
from recovery_site.models import ADMIN_LANGUAGE_SESSION_KEY
from recovery_site.views import error_page

logger = logging.getLogger("recovery_site.requests")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestLogMiddleware:
    """One log line per request: id, method, path (never the query string), status, time.

    A well-formed X-Request-ID from the proxy is kept so lines can be followed across
    services; the id is returned in the response for support.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get("x-request-id", ""))
        token = request_context.request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            log_request(request.method, request.path, response.status_code, started)
            return response
        finally:
            request_context.request_id.reset(token)


def request_id_from(incoming: str) -> str:
    """The proxy's X-Request-ID if it is well formed, else a new one."""
    return incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex


def log_request(method: str, path: str, status: int, started: float) -> None:
    """The request's one log line (the kept pages' WSGI layer writes it too: wsgi.py)."""
    if logger.isEnabledFor(logging.INFO):
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        extra = {"method": method, "path": path, "status": status, "duration_ms": duration_ms}
        logger.info("request", extra=extra)


class BodySizeLimitMiddleware:
    """Refuse request bodies larger than the forms could ever send, files included.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count file parts of a multipart post;
    no page here accepts files, so the declared length is checked as a whole.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return error_page(413)
        return self.get_response(request)


# When a staff member's idle clock was last restarted (a time.time() in their session).
IDLE_CLOCK_KEY = "_idle_clock_started_at"
# Restarting the clock writes the session row: at most once a minute, not on every page.
IDLE_CLOCK_STEP_SECONDS = 60


def restart_idle_clock(request, *, now: float | None = None) -> None:
    """Give the signed-in staff member their whole idle limit again, from now."""
    request.session[IDLE_CLOCK_KEY] = time.time() if now is None else now
    request.session.set_expiry(settings.SESSION_COOKIE_AGE)


def idle_seconds_left(request) -> int:
    """Seconds until the idle limit signs this staff member out (the idle warning's clock)."""
    started = request.session.get(IDLE_CLOCK_KEY, time.time())
    return max(0, round(settings.SESSION_COOKIE_AGE - (time.time() - started)))


class StaffIdleTimeoutMiddleware:
    """Each request by a signed-in staff member restarts their 30-minute idle clock, to
    the minute: within a minute of the last restart the session is left unwritten."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and request.user.is_staff:
            now = time.time()
            started = request.session.get(IDLE_CLOCK_KEY, 0)
            # A changed idle limit applies at once; otherwise once a minute is enough.
            limit = request.session.get("_session_expiry")
            if (
                limit != settings.SESSION_COOKIE_AGE
                or not 0 <= now - started < IDLE_CLOCK_STEP_SECONDS
            ):
                restart_idle_clock(request, now=now)
        return self.get_response(request)


class PolicyHeadersMiddleware:
    """The browser policies Django has no setting for: deny the features the site never
    uses (camera, microphone, location ...), and name the endpoint our CSP's report-to
    points at (the Reporting API's header, see recovery_site/reporting.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.setdefault("Reporting-Endpoints", settings.REPORTING_ENDPOINTS)
        return response


class RevalidateHtmlMiddleware:
    """Browsers must check back before reusing a page (a cheap 304 thanks to ETags).

    Without this they guess a freshness period and may keep showing an old phone number,
    or HTML naming static files a new release no longer has. Views that set their own
    Cache-Control (the forms send no-store) keep it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response and response.get("Content-Type", "").startswith(
            "text/html"
        ):
            patch_cache_control(response, no_cache=True)
        return response


class RejectNulMiddleware:
    """Answer 400 to a NUL byte anywhere in the address (path, query keys or values).

    PostgreSQL refuses NUL in text, so a `?q=a%00b` reaching a filter or a search would
    be a 500. No person types one: it is a probe, and the friendly 400 page is the answer.
    Forms already refuse NUL in what they post (Django's CharField validator).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or "\x00" in "".join(values) for key, values in request.GET.lists()
        ):
            return error_page(400)
        return self.get_response(request)


class LanguageMiddleware:
    """Speak the language the address asks for: /es/… Spanish, every other address English.

    Only the address decides, never a cookie or the browser's Accept-Language, so a page is
    the same for everyone who asks for that address: the page cache (and the proxy's) keys
    by path, and an English link never opens in Spanish. Django's LocaleMiddleware would
    also add `Vary: Accept-Language` to every English page. It runs before the page cache,
    which resolves addresses, and i18n_patterns matches /es/ only while Spanish is active.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override(): the language ends with the request (rendering included), so nothing
        # after it, a test's next form say, runs in Spanish by accident.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


ADMIN_PREFIX = "/admin/"


def admin_language(request) -> str:
    """The language this signed-in member of staff chose for their admin (English if none),
    as their session has kept it since they signed in: no query on any admin page."""
    user = getattr(request, "user", None)
    if user is None or not (user.is_authenticated and user.is_staff):
        return settings.LANGUAGE_CODE
    return request.session.get(ADMIN_LANGUAGE_SESSION_KEY) or settings.LANGUAGE_CODE


class AdminLanguageMiddleware:
    """Show the admin in the language its signed-in member of staff chose for themselves.

    Only /admin/ addresses, only for that person: everyone else's admin stays English and
    visitors' pages keep the language of their address (LanguageMiddleware). Runs after
    AuthenticationMiddleware, which tells who is asking.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(ADMIN_PREFIX):
            return self.get_response(request)
        language = admin_language(request)
        if language == translation.get_language():
            return self.get_response(request)
        # override(): the language ends with this request, rendering included.
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.headers["Content-Language"] = language
        return response
