"""The two request forms and their thank-you pages."""

import logging
import math
import time
from urllib.parse import urlsplit

from django.db import DatabaseError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from intake.form_cache import kept_form_page
from intake.forms import ConsultationForm, ContactForm
from intake.models import HelpRequest
from intake.selectors import help_request_for_submission, reply_promise
from intake.services import help_request_create, help_request_rescue
from intake.spam import Verdict
from intake.thanks import THANKS_SESSION_KEY, thanks_note
from intake.throttle import Decision, submission_allowed
from intake.unsent import CHECK_QUERY, forget_unsent, keep_unsent, take_unsent

logger = logging.getLogger(__name__)


# Pages that may show what a visitor typed, or their reference, are never stored by caches.
@method_decorator(never_cache, name="dispatch")
class RequestFormView(FormView):
    """Show the form; store a valid request once (through the service, not the form's
    save), then redirect (Post/Redirect/Get)."""

    kind: str
    thanks_url: str

    def get_initial(self):
        initial = super().get_initial()
        initial["source_page"] = self.same_site_referrer()
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(kind=self.kind, **kwargs)

    def get(self, request, *args, **kwargs):
        unsent = take_unsent(request=request, kind=self.kind)
        if unsent is None:
            # The empty form's page is the same for everyone but for its tokens: from memory.
            return kept_form_page(self) or super().get(request, *args, **kwargs)
        data, notice = unsent
        form = self.get_form_class()(**{**self.get_form_kwargs(), "data": data})
        form.is_valid()  # the same errors as when it was sent
        return self.show_unsent(form, **notice)

    def show_again(self, **notice):
        """Answer a POST that stored nothing with a redirect to the form shown again with
        what was typed (Post/Redirect/Get: see intake/unsent.py); `notice` says why, as
        show_unsent reads it. Mistakes need no notice: the form shows its errors."""
        keep_unsent(
            session=self.request.session, kind=self.kind, typed=self.request.POST, notice=notice
        )
        return HttpResponseRedirect(f"{self.request.path}?{CHECK_QUERY}=1", status=303)

    def show_unsent(self, form, *, confirm=None, already_sent="", limited_until=None):
        """The page show_again redirected to: "Send now" (`confirm` carries why it is asked),
        or "already sent" (their reference), or the submission limit until a time."""
        context = {}
        if confirm is not None or already_sent:
            form.ask_to_confirm(reason=confirm or "")  # a new token each showing
            context = {"confirm": confirm is not None, "already_sent": already_sent}
        # Still limited on Reload, for the time that is left; once it is over, just the form.
        left = math.ceil(limited_until - time.time()) if limited_until else 0
        wait = Decision(allowed=False, retry_after=left)
        if left > 0:
            context.update(limited=True, send_again=wait.wait_in_words)
        response = self.render_to_response(self.get_context_data(form=form, **context))
        if context.get("limited"):
            response.status_code = 429
            response["Retry-After"] = str(wait.retry_after)
        return response

    def form_invalid(self, form):
        # A page with errors answering the POST would stay in the history as a POST, and
        # Back from the thank-you page after the next send would land on "Confirm form
        # resubmission".
        return self.show_again()

    def same_site_referrer(self) -> str:
        referrer = urlsplit(self.request.headers.get("referer", ""))
        if referrer.netloc and referrer.netloc == self.request.get_host():
            return referrer.path
        return ""

    def form_valid(self, form):
        try:
            return self.store(form)
        except DatabaseError:
            # The database is unreachable: keep everything typed on the page, say so, and
            # offer the phone; the visitor can send again when it is back. The one page
            # that answers its POST directly: sessions live in that database, so what was
            # typed cannot wait there for a redirect (Reload is the way to send it again).
            logger.warning("request not stored: database unavailable")
            context = self.get_context_data(form=form, unavailable=True)
            response = self.render_to_response(context)
            response.status_code = 503
            response["Retry-After"] = "60"
            return response

    def store(self, form):
        verdict, reason = form.verdict()
        # Back, then Send again before the thank-you page: the browser refilled the form,
        # which has a new key. The same words from the same visitor are the request they
        # already sent (never one held as spam: a resend must reach the queue).
        fingerprint = form.content_fingerprint()
        sent = self.request.session.get(THANKS_SESSION_KEY) or {}
        if (
            sent.get("kind") == self.kind
            and sent.get("reference")
            and sent.get("fingerprint") == fingerprint
        ):
            return redirect(self.thanks_url)
        # A second post of the same form (a double click, a resend) is answered with the
        # first one's request, and not counted against the limit.
        key = form.submission_key()
        with transaction.atomic():  # one commit for the limit and the request
            return self.store_once(
                form, key=key, verdict=verdict, reason=reason, sent=sent, fingerprint=fingerprint
            )

    def store_once(self, form, *, key, verdict, reason, sent, fingerprint):
        help_request = help_request_for_submission(submission_key=key)
        if help_request is not None and help_request.spam and verdict != Verdict.BOT:
            # Held as spam, now sent again without the bot's signal: a person sent it.
            help_request = help_request_rescue(help_request=help_request)
        sent_before = sent.get("kind") == self.kind and sent.get("reference")
        if help_request is None and sent_before and not form.is_confirmation():
            # Back after the thank-you page, then Send: the words are no longer known here
            # (the fingerprint went with that page), so ask rather than guess.
            return self.show_again(already_sent=sent["reference"])
        if help_request is None:
            if verdict == Verdict.CHECK and not form.is_confirmation():
                # It may be a person who was quick (Back, then Send): show what they typed
                # again with a "Send now" button; nothing is stored until they press it.
                return self.show_again(confirm=reason)
            if verdict != Verdict.BOT and form.is_confirmation():
                # Staff see why the first send was doubted, not how fast "Send now" came.
                reason = form.confirmed_reason(fallback=reason)
            decision = submission_allowed(self.request)
            if not decision.allowed:
                return self.show_again(limited_until=time.time() + decision.retry_after)
            help_request = help_request_create(
                form=form,
                kind=self.kind,
                submission_key=key,
                language=self.request.LANGUAGE_CODE,  # from the address: /es/ is Spanish
                held_as_spam=verdict == Verdict.BOT,
                automated_reason=reason,
            )
        # A session id planted by someone else must not carry this visitor's thank-you
        # page: a new key now (a visitor who came with none gets a new one anyway), and the
        # session ends when the browser closes.
        if self.request.session.session_key is not None:
            self.request.session.cycle_key()
        self.request.session.set_expiry(0)
        forget_unsent(session=self.request.session)
        self.request.session[THANKS_SESSION_KEY] = thanks_note(
            help_request, fingerprint=fingerprint
        )
        return redirect(self.thanks_url)


class ContactView(RequestFormView):
    """Send us a message."""

    form_class = ContactForm
    template_name = "intake/contact_form.html"
    kind = HelpRequest.Kind.MESSAGE
    thanks_url = "intake:contact_thanks"


class ConsultationView(RequestFormView):
    """Get a free, confidential consultation."""

    form_class = ConsultationForm
    template_name = "intake/consultation_form.html"
    kind = HelpRequest.Kind.CONSULTATION
    thanks_url = "intake:consultation_thanks"


@method_decorator(never_cache, name="dispatch")
class ThanksView(TemplateView):
    """What happens next; the reference only for the visitor who just sent the request."""

    template_name = "intake/thanks.html"
    kind = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sent = self.request.session.get(THANKS_SESSION_KEY) or {}
        if sent.get("kind") == self.kind:
            context["sent"] = sent
            context["promise"] = reply_promise(reference=sent.get("reference", ""))
            if "fingerprint" in sent:
                # Only needed until this page is shown: drop it from the session table.
                sent = {k: v for k, v in sent.items() if k != "fingerprint"}
                self.request.session[THANKS_SESSION_KEY] = sent
        context["kind"] = self.kind
        return context
