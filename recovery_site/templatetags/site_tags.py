"""Template helpers shared by every app."""

import base64
import hashlib
import json
import posixpath
import re

from django import template
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# The same escapes Django's json_script uses, so data can never close the script element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """Structured data for search engines, as a non-executable script block."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, separators=(",", ":"))
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(payload.translate(_JSON_ESCAPES)),
    )


@register.simple_tag(takes_context=True)
def absolute_url(context, path=None):
    """This page's (or `path`'s) full address without the query string, for canonical links.

    A view sets `canonical_path` when its page is a copy of another address's (an English
    guide shown at /es/ with the Spanish site around it).
    """
    request = context.get("request")
    if request is None:
        return ""
    if path is None:
        path = context.get("canonical_path") or request.path
    return request.build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def language_versions(context) -> list[dict]:
    """This page in each of the site's languages, for the language switch and the hreflang
    alternates: [{"code", "name", "url", "current", "alternate"}].

    A view whose page is not simply the same address under /es/ (a guide has its own slug
    in each language) sets `language_urls`: {code: address}, leaving out the languages it
    has no version in (they link to the other language's version but are no hreflang
    alternate). Otherwise the address is translated, its query string kept (a search).
    """
    request = context.get("request")
    if request is None or request.resolver_match is None:
        return []
    current = translation.get_language()
    given = context.get("language_urls")
    versions = []
    for code, name in settings.LANGUAGES:
        if given is not None:
            url = given.get(code)
            alternate = url is not None
            if url is None:  # no version in this language: the page as it is, in its chrome
                url = translate_url(request.get_full_path(), code)
        else:
            url, alternate = translate_url(request.get_full_path(), code), True
        versions.append(
            {"code": code, "name": name, "url": url, "current": code == current,
             "alternate": alternate}
        )  # fmt: skip
    return versions


# Stylesheets inline_css has read in this process: path -> (<style> element, CSP source).
_inlined: dict[str, tuple[str, str]] = {}
# The CSP source inline_css last added for each path, to drop it once the file changes.
_allowed: dict[str, str] = {}
# url(...) relative to the stylesheet's own address (not data:, not absolute, not #id).
_RELATIVE_URL = re.compile(r"""url\(\s*(['"]?)(?![a-z][a-z0-9+.-]*:|/|#)""", re.IGNORECASE)


@register.simple_tag
def inline_css(path):
    """The static stylesheet `path` as a <style> element, so a page paints without waiting
    for a second request (a round trip is 2 s on a slow 3G phone).

    Read once per process from the collected file (its url()s already rewritten to hashed
    names); under DEBUG, from the source file on every page, so edits show. It is allowed by
    the sha256 hash of its exact text in SECURE_CSP's style-src, never by a nonce: a page
    with a nonce could not be kept by the page cache (education/page_cache.py).
    """
    kept = None if settings.DEBUG else _inlined.get(path)
    if kept is None:
        kept = _read_stylesheet(path)
        if not settings.DEBUG:
            _inlined[path] = kept
    style, source = kept
    # The header is built from this list for every response, after the page is rendered.
    sources = settings.SECURE_CSP["style-src"]
    if _allowed.get(path, source) != source and _allowed[path] in sources:
        sources.remove(_allowed[path])  # the file changed (DEBUG, or a test's static root)
    if source not in sources:
        sources.append(source)
    _allowed[path] = source
    return style


def _read_stylesheet(path: str) -> tuple[str, str]:
    """(the <style> element, its 'sha256-…' CSP source) for the stylesheet `path`."""
    if settings.DEBUG:
        with open(finders.find(path), encoding="utf-8") as file:
            text = file.read()
    else:
        stored = getattr(staticfiles_storage, "stored_name", lambda name: name)(path)
        with staticfiles_storage.open(stored) as file:
            text = file.read().decode()
    if "</style" in text.lower():
        raise ValueError(f"{path} would close the <style> element it is inlined in")
    # Inline, a relative url() would resolve against the page's address: make it absolute.
    folder = posixpath.dirname(staticfiles_storage.url(path)) + "/"
    text = _RELATIVE_URL.sub(lambda match: f"url({match[1]}{folder}", text)
    text = _minified(text)
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    return format_html("<style>{}</style>", mark_safe(text)), f"'sha256-{digest}'"


def _minified(css: str) -> str:
    """`css` without its comments and with runs of whitespace made one space, and none around
    braces, semicolons and commas: every page carries the stylesheet, so its comments would
    cost each visitor about a quarter of it. Colons keep their spaces (`a :focus` is not
    `a:focus`); whitespace inside a quoted string never runs in our stylesheet."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    css = re.sub(r"\s+", " ", css)
    return re.sub(r"\s*([{};,])\s*", r"\1", css).strip()


@receiver(setting_changed)
def _forget_stylesheets(*, setting, **kwargs):
    """Another static root or storage (tests) holds other files: read them again."""
    if setting in {"STATIC_ROOT", "STATIC_URL", "STORAGES", "DEBUG"}:
        _inlined.clear()
