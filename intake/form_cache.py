"""The request forms' pages, drawn once per process and filled in for each visitor.

crispy-forms draws each field through several templates: about 80% of a form page's time
went there, and most of the rest to the page around it and to building the form, for HTML
that is the same for every visitor but for three hidden values: the CSRF token, the form's
token (intake/spam.py) and the page the visitor came from. So:

- `render_request_form` (the `{% request_form %}` tag) keeps an empty form's HTML per form
  and language, with a slot for each of its two values;
- `kept_form_page` keeps the whole page of an empty form, its CSRF token a slot too, under
  the content version the page cache uses (education/page_cache.py), per address, host,
  scheme and closing time (the page says until when the phone is answered).

Each visitor's page is that HTML with their own values in the slots. A form holding what a
visitor typed (errors, "Send now", the limit) is always drawn afresh.
"""

from crispy_forms.templatetags.crispy_forms_tags import CrispyFormNode
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from education.page_cache import KeptInMemory, kept_version
from intake.hours import open_until
from intake.spam import issue_form_token

# A slot stands for each per-visitor value. Letters only, so escaping leaves them as they
# are, and no label or help text contains them.
FORM_SLOTS = {"form_token": "keptformslotformtoken", "source_page": "keptformslotsourcepage"}
CSRF_SLOT = "keptformslotcsrftoken"

_kept_forms: dict[tuple[type, str | None], str] = {}
_kept_pages = KeptInMemory()


def _draw(form, context) -> str:
    """The form as `{% crispy form %}` draws it in this template context."""
    with context.push(form=form):
        return CrispyFormNode("form", None).render(context)


def _filled(html: str, values: dict[str, str | None]) -> str:
    """`html` with each slot's value (`values`: slot to value), as Django's widgets write
    it: escaped, and no value attribute at all for an empty one."""
    for slot, value in values.items():
        html = html.replace(f' value="{slot}"', f' value="{escape(value)}"' if value else "")
    return html


def render_request_form(form, context) -> SafeString:
    """The form's HTML: the kept drawing with this form's values if it is empty, else drawn
    now."""
    if form.is_bound:
        return mark_safe(_draw(form, context))  # crispy's own, escaped output
    key = (type(form), get_language())
    html = _kept_forms.get(key)
    if html is None:
        blank = type(form)(initial=dict(FORM_SLOTS))
        html = _kept_forms[key] = _draw(blank, context)
    values = {slot: form[name].value() for name, slot in FORM_SLOTS.items()}
    return mark_safe(_filled(html, values))  # values escaped in _filled


def kept_form_page(view) -> HttpResponse | None:
    """The page of `view` (a RequestFormView) with an empty form, from memory, or None when
    nothing may be kept now (tests, or the database unreachable)."""
    version = kept_version()
    if version is None:
        return None
    request = view.request
    key = (type(view), request.get_host(), request.path, request.is_secure(),
           open_until(timezone.now()))  # fmt: skip
    html = _kept_pages.get(key, version)
    if html is None:
        form = view.get_form_class()(initial=dict(FORM_SLOTS))
        page = view.render_to_response(view.get_context_data(form=form, csrf_token=CSRF_SLOT))
        html = page.render().content.decode()
        if 'nonce="' in html:
            return None  # a CSP nonce is each response's own: drawn afresh (none today)
        _kept_pages.keep(key, version, html)
    values = {
        CSRF_SLOT: get_token(request),
        FORM_SLOTS["form_token"]: issue_form_token(),
        FORM_SLOTS["source_page"]: view.same_site_referrer(),
    }
    return HttpResponse(_filled(html, values))
