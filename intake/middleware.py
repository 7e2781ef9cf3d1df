"""A visitor's first send of a request form, answered before the rest of the middleware.

Most sends are a person's first: no session yet, a valid form, no sign of a bot. For those,
QuickSendMiddleware checks the CSRF token as CsrfViewMiddleware does, validates the same form
the view would, and stores the request, the task that tells staff and the session with the
thank-you note in one statement (intake/services/quick_send.py); then it answers with the
redirect to the thank-you page the view gives, carrying the headers the rest of the
middleware gave the last one (security headers, CSP, no-store ...). That redirect is learned
from the view's own answer to a send from a visitor with no session, once per form and
language, so it stays what the full way sends.

Anything else goes the full way (intake/views.py), which then decides and answers as ever:
a visitor with a session (a thank-you page, words kept after a mistake), a form with a
mistake, a send that looks automated or confirms one that did, the submission limit, a form
already sent, a CSRF failure, a database error, a plain-http request that must be redirected.
"""

import logging
from http.cookies import SimpleCookie

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError
from django.http import HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from intake.services.quick_send import help_request_store_first_send, quick_send_supported
from intake.spam import Verdict
from intake.views import ConsultationView, ContactView

logger = logging.getLogger(__name__)
FORMS = {"intake:consultation": ConsultationView, "intake:contact": ContactView}
# Set per answer, not learned: when it was sent, and the new session.
PER_ANSWER = {"expires", "set-cookie"}


class _CsrfCheck(CsrfViewMiddleware):
    """CsrfViewMiddleware's own check, without its 403: a send it refuses goes the full way,
    where the real middleware refuses it (and logs it) once."""

    def _reject(self, request, reason):
        return reason


class QuickSendMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = _CsrfCheck(get_response)
        # path: (view class, its view function, language, thank-you path); filled on first
        # use, once the URLs can be loaded.
        self.forms: dict[str, tuple] | None = None
        # (path, https?): (headers, session cookie) of the view's redirect to its thank-you
        # page (HSTS is sent over https only).
        self.learned: dict[str, tuple] = {}

    def __call__(self, request):
        form_page = self._form_page(request)
        if form_page is None:
            return self.get_response(request)
        answer = self._send(request, *form_page)
        if answer is not None:
            return answer
        response = self.get_response(request)
        self._learn(request, form_page[-1], response)
        return response

    def _form_page(self, request) -> tuple | None:
        """The form this is a first send of, by a visitor with no session, or None."""
        if (
            request.method != "POST"
            or request.META.get("QUERY_STRING")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or not settings.INTAKE_QUICK_SEND
            or settings.CSRF_USE_SESSIONS  # the token is in a session this visitor lacks
            or not quick_send_supported()
        ):
            return None
        if self.forms is None:
            self.forms = {}
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    for url_name, view in FORMS.items():
                        self.forms[reverse(url_name)] = (
                            view, view.as_view(), language, reverse(view.thanks_url)
                        )  # fmt: skip
        return self.forms.get(request.path_info)

    def _send(self, request, view_class, view_function, language, thanks_path):
        learned = self.learned.get((request.path_info, request.is_secure()))
        if learned is None or language != request.LANGUAGE_CODE:
            return None
        try:
            request.get_host()
        except DisallowedHost:
            return None
        if settings.SECURE_SSL_REDIRECT and not request.is_secure():
            return None
        view = view_class()
        view.setup(request)
        self.csrf.process_request(request)
        if self.csrf.process_view(request, view_function, (), {}) is not None:
            return None
        form = view.get_form()
        if not form.is_valid() or form.is_confirmation() or form.verdict()[0] != Verdict.HUMAN:
            return None
        try:
            session_key = help_request_store_first_send(
                form=form,
                kind=view.kind,
                language=language,
                request=request,
                fingerprint=form.content_fingerprint(),
            )
        except DatabaseError as error:
            # Its class only: a constraint's message can quote the values it refused.
            logger.warning("quick send not stored (%s): sent the full way", type(error).__name__)
            return None
        except Exception as error:
            # A fault of this way's own code: the visitor's send must still reach the full
            # way, which stores it once (a request this way did store is found by its key).
            logger.error("quick send failed (%s): sent the full way", type(error).__name__)
            return None
        if session_key is None:
            return None
        headers, cookie = learned
        response = HttpResponseRedirect(thanks_path, headers=headers)
        add_never_cache_headers(response)  # a fresh Expires
        response.cookies = SimpleCookie()
        response.cookies[settings.SESSION_COOKIE_NAME] = session_key
        response.cookies[settings.SESSION_COOKIE_NAME].update(cookie)
        return response

    def _learn(self, request, thanks_path, response) -> None:
        """Keep the view's redirect to its thank-you page, with a new session and no other
        cookie, as the answer to the next first sends of this form."""
        if (
            response.status_code != 302
            or response.get("Location") != thanks_path
            or set(response.cookies) != {settings.SESSION_COOKIE_NAME}
        ):
            return
        headers = {
            name: value
            for name, value in response.headers.items()
            if name.lower() not in PER_ANSWER and name.lower() != "location"
        }
        cookie = dict(response.cookies[settings.SESSION_COOKIE_NAME].items())
        self.learned[request.path_info, request.is_secure()] = (headers, cookie)
