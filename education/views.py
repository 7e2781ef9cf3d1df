"""Public pages a visitor reads: home, the guide library, guides, search, and about pages.

Pages marked `@cacheable_page` are kept in memory for visitors without a session
(education/page_cache.py): only pages that are the same for every such visitor.
"""

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.http import http_date
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control
from django.views.generic import DetailView, ListView, TemplateView

from education import search, selectors
from education.models import Guide, Reviewer, SlugRedirect
from education.page_cache import KeptInMemory, cacheable_page, kept_version

SEARCH_MAX_LENGTH = 200


@method_decorator(cacheable_page, name="dispatch")
class HomeView(TemplateView):
    """The front door: who we help, how, featured guides and how to reach us."""

    template_name = "education/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["featured_guides"] = selectors.guides_in_language(
            Guide.objects.featured(), translation.get_language()
        )[:4]
        clinic = settings.CLINIC
        context["structured_data"] = {
            "@context": "https://schema.org",
            "@type": "MedicalClinic",
            "name": clinic["name"],
            "url": self.request.build_absolute_uri("/"),
            "telephone": clinic["phone_e164"],
            "email": clinic["email"],
            "openingHours": clinic["opening_hours"],
            "medicalSpecialty": "Psychiatric",
            "address": {
                "@type": "PostalAddress",
                "streetAddress": clinic["street"],
                "addressLocality": clinic["city"],
                "addressRegion": clinic["region"],
                "postalCode": clinic["postal_code"],
                "addressCountry": clinic["country"],
            },
        }
        return context


@method_decorator(cacheable_page, name="dispatch")
class GuideListView(ListView):
    """The guide library, topic by topic."""

    template_name = "education/guide_list.html"
    context_object_name = "topics"

    def get_queryset(self):
        return selectors.topics_with_guides(translation.get_language())


def _guide_address(guide: Guide) -> str:
    """Where a guide is read from this page: a translation at its own address, an English
    guide in the page's language (/es/learn/<english-slug>/ keeps the Spanish around it)."""
    if guide.translation_of_id:
        return guide.get_absolute_url()
    return reverse("education:guide_detail", kwargs={"slug": guide.slug})


@method_decorator(cacheable_page, name="dispatch")
class GuideDetailView(DetailView):
    """One guide, in the page's language when it has a published translation in it.

    An address it used to have, or its address in the other language, answers with a
    permanent redirect; an English guide not yet translated is shown in English, marked so,
    among the page's own language.
    """

    template_name = "education/guide_detail.html"
    context_object_name = "guide"

    def get_queryset(self):
        # Each published translation's slug rides along: no query to find it.
        translated_slugs = {
            f"slug_{code}": Subquery(
                Guide.objects.published()
                .filter(translation_of=OuterRef("pk"), language=code)
                .values("slug")[:1]
            )
            for code, _name in settings.LANGUAGES
            if code != settings.LANGUAGE_CODE
        }
        return (
            Guide.objects.published()
            .select_related("topic", "reviewer", "translation_of__reviewer")
            .prefetch_related("sources")
            .annotate(**translated_slugs)
        )

    def get(self, request, *args, **kwargs):
        try:
            guide = self.object = self.get_object()
        except Http404:
            return self.moved(kwargs["slug"])
        language = translation.get_language()
        if guide.language != language:
            if guide.translation_of_id:  # a translation at another language's address
                return HttpResponsePermanentRedirect(guide.get_absolute_url())
            if slug := getattr(guide, f"slug_{language}", None):
                return HttpResponsePermanentRedirect(
                    reverse("education:guide_detail", kwargs={"slug": slug})
                )
        response = self.render_to_response(self.get_context_data(object=guide))
        response["Last-Modified"] = http_date(guide.updated_at.timestamp())
        return response

    def moved(self, slug: str) -> HttpResponse:
        """An unpublished translation: its original, for now; an old slug: where it went."""
        unpublished = (
            Guide.objects.filter(slug=slug, translation_of__status=Guide.Status.PUBLISHED)
            .select_related("translation_of")
            .first()
        )
        if unpublished is not None:
            with translation.override(unpublished.language):
                return HttpResponseRedirect(_guide_address(unpublished.translation_of))
        moved = (
            SlugRedirect.objects.filter(old_slug=slug, guide__status=Guide.Status.PUBLISHED)
            .select_related("guide")
            .first()
        )
        if moved is None:
            raise Http404
        return HttpResponsePermanentRedirect(_guide_address(moved.guide))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        guide = self.object
        original = guide.original
        context["related"] = selectors.guides_in_language(
            Guide.objects.published().filter(guide=original.pk), translation.get_language()
        )
        context["language_urls"] = self.language_urls(guide)
        # Each page is its own canonical, but an English guide shown among Spanish words
        # is the English page's copy.
        context["canonical_path"] = guide.get_absolute_url()
        context["structured_data"] = self.structured_data(guide)
        return context

    @staticmethod
    def language_urls(guide: Guide) -> dict[str, str]:
        """The guide's address in each language it is published in (hreflang, the switch)."""
        if guide.translation_of_id:
            urls = {guide.language: guide.get_absolute_url()}
            if guide.translation_of.status == Guide.Status.PUBLISHED:
                urls[settings.LANGUAGE_CODE] = guide.translation_of.get_absolute_url()
            return urls
        urls = {settings.LANGUAGE_CODE: guide.get_absolute_url()}
        for code, _name in settings.LANGUAGES:
            if slug := getattr(guide, f"slug_{code}", None):
                with translation.override(code):
                    urls[code] = reverse("education:guide_detail", kwargs={"slug": slug})
        return urls

    def structured_data(self, guide: Guide) -> dict:
        data = {
            "@context": "https://schema.org",
            "@type": "MedicalWebPage",
            "name": guide.title,
            "headline": guide.title,
            "description": guide.summary,
            "inLanguage": guide.language,
            "url": self.request.build_absolute_uri(guide.get_absolute_url()),
            "dateModified": guide.updated_at,
            "about": {"@type": "MedicalCondition", "name": gettext("Opioid use disorder")},
            "audience": {
                "@type": "PeopleAudience",
                "audienceType": gettext("Patients and caregivers"),
            },
            "publisher": {"@type": "MedicalClinic", "name": settings.CLINIC["name"]},
            "citation": [
                {
                    "@type": "CreativeWork",
                    "name": s.title,
                    "url": s.url,
                    "publisher": {"@type": "Organization", "name": s.publisher},
                }
                for s in guide.sources.all()
            ],
        }
        # A sample reviewer has reviewed nothing; nor has anyone checked a translation yet.
        if not guide.reviewer.placeholder and not guide.awaiting_translation_review:
            data["lastReviewed"] = guide.reviewed_on
            data["reviewedBy"] = {
                "@type": "Person",
                "name": guide.reviewer.name,
                "honorificSuffix": guide.reviewer.credentials,
                "jobTitle": guide.reviewer.translated("specialty"),
            }
        return data


@method_decorator(cache_control(private=True, no_store=True), name="dispatch")
class GuideSearchView(TemplateView):
    """Search over the published guides and the clinic's pages (education/search.py).

    What a visitor searches for ("my son overdosed") is theirs: never kept by a shared or
    browser cache, and never in the page title (titles land in history and tab lists). Each
    process keeps its answers, and its pages for visitors without a session (the same for
    all of them, as the kept reading pages are), in memory until the content changes.
    """

    template_name = "education/guide_search.html"
    kept_pages = KeptInMemory()

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        query = " ".join(request.GET.get("q", "").split())[:SEARCH_MAX_LENGTH]
        # NUL cannot reach PostgreSQL; other control characters mean nothing in a search.
        self.query = "".join(ch for ch in query if ch.isprintable())
        self.exact = request.GET.get("exact") == "1"
        self.version = kept_version()

    def get(self, request, *args, **kwargs):
        key = (request.get_host(), request.LANGUAGE_CODE, self.query, self.exact)
        page_version = None if settings.SESSION_COOKIE_NAME in request.COOKIES else self.version
        if (content := self.kept_pages.get(key, page_version)) is not None:
            return HttpResponse(content)
        response = super().get(request, *args, **kwargs)
        response.add_post_render_callback(
            lambda rendered: self.kept_pages.keep(key, page_version, rendered.content)
        )
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        language = self.request.LANGUAGE_CODE
        answer = search.search(
            self.query, exact=self.exact, version=self.version, language=language
        )
        context.update(query=self.query, answer=answer, results=answer.results)
        if not answer.results:
            context["topics"] = selectors.topics_with_guides(language)
        return context


@method_decorator(cacheable_page, name="dispatch")
class ProgramsView(TemplateView):
    """The treatment options the clinic offers."""

    template_name = "education/programs.html"


@method_decorator(cacheable_page, name="dispatch")
class AboutView(TemplateView):
    """Who we are, who answers a request, our licences, clinical team and where we are."""

    template_name = "education/about.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(team=Reviewer.objects.about_team(), **kwargs)


@method_decorator(cacheable_page, name="dispatch")
class PrivacyView(TemplateView):
    """What we collect through the forms, why, who sees it and for how long."""

    template_name = "education/privacy.html"

    def get_context_data(self, **kwargs):
        # The notice states the periods the purge command actually uses.
        return super().get_context_data(
            spam_days=settings.INTAKE_SPAM_RETENTION_DAYS,
            retention_days=settings.INTAKE_RETENTION_DAYS,
            **kwargs,
        )


class RobotsView(TemplateView):
    """robots.txt: guides open to search engines, staff and form pages not."""

    template_name = "robots.txt"
    content_type = "text/plain"
