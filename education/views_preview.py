"""A guide's page exactly as visitors would see it, built from content that is not on the
site (a draft, or a change form's unsaved fields), for staff only: the admin's preview
(education/admin_preview.py) serves these pages behind its sign-in and permission check.

Nothing here is saved, and nothing reaches the page cache: these views are not marked
`@cacheable_page`, and only staff with a session reach them, which the cache never serves.
"""

from datetime import date

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.csp import CSP

from education.models import Guide, Reviewer, Source, Topic
from education.views import GuideDetailView

# Shown in place of what a form left out, so the rest of the page can still be previewed.
NO_TOPIC = "(no topic chosen)"
NO_REVIEWER = "(no reviewer chosen)"
NO_SLUG = "no-address-yet"


class _Listed(list):
    """A list the page reads as `guide.sources.all`, the way it reads a related manager."""

    def all(self):
        return self


class PreviewedGuide:
    """An unsaved guide holding some content, with its sources and related guides in
    memory: the public template and view read it as they read a stored guide."""

    def __init__(self, guide: Guide, *, sources: list[Source], related: list[Guide]):
        self._guide = guide
        self.sources = _Listed(sources)
        self.related = _Listed(related)

    def __getattr__(self, name):
        return getattr(self._guide, name)

    def __str__(self):
        return str(self._guide)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def previewed_guide(content: dict, *, pk: int | None = None) -> PreviewedGuide:
    """`content` (education.revisions.content_of()'s shape; a value may be None where a
    form had a mistake) as the guide visitors would read, rendered as Guide.save renders it."""
    guide = Guide(
        pk=pk,
        title=content.get("title") or "",
        slug=content.get("slug") or NO_SLUG,
        summary=content.get("summary") or "",
        body_markdown=content.get("body_markdown") or "",
        featured=bool(content.get("featured")),
        reviewed_on=_day(content.get("reviewed_on")),
        review_interval_months=content.get("review_interval_months") or 12,
        updated_at=timezone.now(),
    )
    guide.topic = Topic.objects.filter(pk=content.get("topic")).first() or Topic(
        title=NO_TOPIC, slug="no-topic"
    )
    guide.reviewer = Reviewer.objects.filter(pk=content.get("reviewer")).first() or Reviewer(
        name=NO_REVIEWER, placeholder=True
    )
    guide.derive()
    sources = [
        Source(title=title, publisher=publisher, url=url, read_on=_day(read_on), order=i)
        for i, (title, publisher, url, read_on) in enumerate(content.get("sources") or [])
    ]
    # As on the public page: only related guides visitors can open.
    related = list(
        Guide.objects.published()
        .filter(pk__in=content.get("related") or [])
        .only("title", "slug", "language")
    )
    return PreviewedGuide(guide, sources=sources, related=related)


def never_kept(response):
    """Whatever a preview shows stays out of every cache and every search engine."""
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def guide_page(request, *, content: dict, pk: int | None = None):
    """The guide's public page for `content`, with the public view's own context. Only this
    page may be framed, and only by this site (the phone-width preview frames it)."""
    guide = previewed_guide(content, pk=pk)
    view = GuideDetailView()
    view.setup(request)
    view.object = guide
    response = render(request, "education/preview_page.html", view.get_context_data())
    response["X-Frame-Options"] = "SAMEORIGIN"
    # What django.views.decorators.csp.csp_override sets, built after rendering: the page's
    # stylesheet hash was just added to SECURE_CSP's style-src (site_tags.inline_css).
    response._csp_config = {**settings.SECURE_CSP, "frame-ancestors": [CSP.SELF]}
    return never_kept(response)


def frame_page(request, *, heading: str, guide_title: str, page_url: str, phone: bool,
               back_url: str = "", back_text: str = "", problems=()):  # fmt: skip
    """The staff bar ("Preview … — not on the site") over the page, framed at phone or
    desktop width; without `back_url`, it says the changes are still in the form's tab."""
    response = render(
        request,
        "education/preview_frame.html",
        {
            "heading": heading,
            "guide_title": guide_title,
            "page_url": page_url,
            "phone": phone,
            "back_url": back_url,
            "back_text": back_text,
            "problems": problems,
        },
    )
    # The frame loads the page from this site; nothing may frame the bar itself.
    response._csp_config = {**settings.SECURE_CSP, "frame-src": [CSP.SELF]}
    return never_kept(response)
