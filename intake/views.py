"""The two request forms and their thank-you pages."""

import logging
from urllib.parse import urlsplit

from django.db import DatabaseError
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import CreateView, TemplateView

from intake.forms import ConsultationForm, ContactForm
from intake.models import HelpRequest
from intake.services import help_request_create
from intake.throttle import submission_allowed

THANKS_SESSION_KEY = "intake_thanks"
logger = logging.getLogger(__name__)


# Pages that may show what a visitor typed, or their reference, are never stored by caches.
@method_decorator(never_cache, name="dispatch")
class RequestCreateView(CreateView):
    """Show the form; store a valid request once, then redirect (Post/Redirect/Get)."""

    kind: str
    thanks_url: str

    def get_initial(self):
        initial = super().get_initial()
        initial["source_page"] = self.same_site_referrer()
        return initial

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
            # offer the phone; the visitor can send again when it is back.
            logger.warning("request not stored: database unavailable")
            context = self.get_context_data(form=form, unavailable=True)
            response = self.render_to_response(context)
            response.status_code = 503
            response["Retry-After"] = "60"
            return response

    def store(self, form):
        # Back, then Send again: the browser refilled the form, which has a new key. The
        # same words from the same visitor are the request they already sent.
        fingerprint = form.content_fingerprint()
        sent = self.request.session.get(THANKS_SESSION_KEY) or {}
        if sent.get("kind") == self.kind and sent.get("fingerprint") == fingerprint:
            return redirect(self.thanks_url)
        # A second post of the same form (a double click, a resend) is answered with the
        # first one's request, and not counted against the limit.
        key = form.submission_key()
        help_request = HelpRequest.objects.filter(submission_key=key).first()
        if help_request is None:
            if not submission_allowed(self.request):
                response = self.render_to_response(self.get_context_data(form=form, limited=True))
                response.status_code = 429
                return response
            help_request = help_request_create(
                form=form, kind=self.kind, submission_key=key, spam_reason=form.spam_reason()
            )
        # The thank-you page reads the reference from this visitor's session, never the URL.
        self.request.session[THANKS_SESSION_KEY] = {
            "reference": help_request.reference,
            "kind": help_request.kind,
            "urgent": help_request.urgent,
            "fingerprint": fingerprint,
        }
        return redirect(self.thanks_url)


class ContactView(RequestCreateView):
    """Send us a message."""

    form_class = ContactForm
    template_name = "intake/contact_form.html"
    kind = HelpRequest.Kind.MESSAGE
    thanks_url = "intake:contact_thanks"


class ConsultationView(RequestCreateView):
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
        context["kind"] = self.kind
        return context
