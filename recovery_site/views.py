"""Site-wide views that belong to no app: the health check and the error pages."""

import logging
import sys

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from intake.throttle import rate_limit
from recovery_site import context_processors, reporting

csp_logger = logging.getLogger("recovery_site.csp")

ERRORS = {
    400: (_("We could not understand that request"), _("Something in the request was not as we expected. Please go back and try again.")),
    403: (_("You cannot open this page"), _("You may not have permission to see this page, or your session may have ended. If you were sending a form, please go back, reload the page and send it again.")),
    413: (_("That was more than we can accept"), _("What you sent was too large. Please shorten your message and send it again; what you typed is still in the form if you go back.")),
    429: (_("Please wait a moment"), _("We have received many requests from you in a short time. Please try again in a few minutes.")),
    500: (_("Something went wrong on our side"), _("We are sorry. Please try again in a few minutes.")),
    503: (_("We are briefly unavailable"), _("Our website cannot reach its records right now. Please try again in a few minutes; nothing you read here needs an account.")),
}  # fmt: skip


def error_page(status: int, *, headers: dict | None = None) -> HttpResponse:
    """A friendly error page with the phone number and crisis lines.

    Rendered without the request and without the database, so it works whatever failed
    (a bad Host header, a database outage), and never shows a setting or a stack trace. Its
    words are in the language LanguageMiddleware chose from the address (English if the
    request never reached it).
    """
    title, message = ERRORS[status]
    # Without a request no context processor runs: <html lang> needs the language itself.
    page = {
        "status": status,
        "title": title,
        "message": message,
        "LANGUAGE_CODE": translation.get_language(),
    }
    html = render_to_string("error.html", {**page, **context_processors.clinic(request=None)})
    response = HttpResponse(html, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
        return error_page(413)
    return error_page(400)


def permission_denied(request, exception=None):
    return error_page(403)


def csrf_failure(request, reason=""):
    return error_page(403)


def server_error(request):
    # Django calls this while handling the exception, wherever it was raised (a view or a
    # middleware reading the session): a lost database is a 503, with Retry-After.
    if isinstance(sys.exception(), OperationalError | InterfaceError):
        return service_unavailable(request)
    return error_page(500)


def service_unavailable(request):
    return error_page(503, headers={"Retry-After": "60", "Cache-Control": "no-store"})


@never_cache
@require_safe
def healthz(request):
    """Tell a load balancer whether this process can reach the database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def bench_ceiling(request):
    """For `make bench` only (ENABLE_BENCH_CEILING): the cheapest page Django can serve,
    as many bytes as asked, through the same middleware, to compare other pages against."""
    size = min(int(request.GET.get("bytes", "20000") or 0), 1_000_000)
    return HttpResponse(b"<!doctype html><title>ceiling</title>" + b"x" * size)


@csrf_exempt  # browsers send reports without a token; nothing here acts for a user
@require_POST
def csp_report(request):
    """Log Content-Security-Policy violations (recovery_site/reporting.py), one line each.

    Always 204 for a report, even over the per-client limit: browsers retry a failed
    Reporting API upload, so refusing would only bring the same reports back.
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > reporting.MAX_BODY_BYTES:
        return HttpResponse(status=413)
    if request.content_type not in reporting.CONTENT_TYPES:
        return HttpResponse(status=415)
    body = request.read(reporting.MAX_BODY_BYTES + 1)
    if len(body) > reporting.MAX_BODY_BYTES:
        return HttpResponse(status=413)
    try:
        found = reporting.violations(body)
    except ValueError:
        return HttpResponse(status=400)
    limit = {"limit": reporting.RATE_LIMIT, "window": reporting.RATE_WINDOW_SECONDS}
    if found and rate_limit(request, "csp-report", **limit):
        for violation in found[: reporting.MAX_REPORTS_PER_REQUEST]:
            fields = reporting.summary(violation).items()
            csp_logger.warning("csp violation %s", " ".join(f"{k}={v}" for k, v in fields))
    return HttpResponse(status=204)
