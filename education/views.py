"""Public pages a visitor reads: home, the guide library, guides, search, and about pages.

Pages marked `@cacheable_page` are kept in memory for visitors without a session
(education/page_cache.py): only pages that are the same for every such visitor.
"""

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpResponsePermanentRedirect
from django.utils.decorators import method_decorator
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_control
from django.views.generic import DetailView, ListView, TemplateView

from education.models import Guide, SlugRedirect, Topic
from education.page_cache import cacheable_page

SEARCH_MAX_LENGTH = 200


@method_decorator(cacheable_page, name="dispatch")
class HomeView(TemplateView):
    """The front door: who we help, how, featured guides and how to reach us."""

    template_name = "education/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["featured_guides"] = Guide.objects.featured().select_related("topic")[:4]
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
        published = Guide.objects.published().only(
            "topic_id", "title", "slug", "summary", "reading_minutes"
        )
        return Topic.objects.prefetch_related(Prefetch("guides", queryset=published))


@method_decorator(cacheable_page, name="dispatch")
class GuideDetailView(DetailView):
    """One guide; an address it used to have answers with a permanent redirect."""

    template_name = "education/guide_detail.html"
    context_object_name = "guide"

    def get_queryset(self):
        return (
            Guide.objects.published()
            .select_related("topic", "reviewer")
            .prefetch_related(
                "sources",
                Prefetch("related", queryset=Guide.objects.published().only("title", "slug")),
            )
        )

    def get(self, request, *args, **kwargs):
        try:
            response = super().get(request, *args, **kwargs)
        except Http404:
            moved = (
                SlugRedirect.objects.filter(
                    old_slug=kwargs["slug"], guide__status=Guide.Status.PUBLISHED
                )
                .select_related("guide")
                .first()
            )
            if moved is None:
                raise
            return HttpResponsePermanentRedirect(moved.guide.get_absolute_url())
        response["Last-Modified"] = http_date(self.object.updated_at.timestamp())
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        guide = self.object
        context["structured_data"] = {
            "@context": "https://schema.org",
            "@type": "MedicalWebPage",
            "name": guide.title,
            "headline": guide.title,
            "description": guide.summary,
            "url": self.request.build_absolute_uri(guide.get_absolute_url()),
            "dateModified": guide.updated_at,
            "about": {"@type": "MedicalCondition", "name": "Opioid use disorder"},
            "audience": {"@type": "PeopleAudience", "audienceType": "Patients and caregivers"},
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
        if not guide.reviewer.placeholder:  # a sample reviewer has reviewed nothing
            context["structured_data"]["lastReviewed"] = guide.reviewed_on
            context["structured_data"]["reviewedBy"] = {
                "@type": "Person",
                "name": guide.reviewer.name,
                "honorificSuffix": guide.reviewer.credentials,
                "jobTitle": guide.reviewer.specialty,
            }
        return context


@method_decorator(cache_control(private=True, no_store=True), name="dispatch")
class GuideSearchView(TemplateView):
    """PostgreSQL full-text search over published guides, best match first.

    What a visitor searches for ("my son overdosed") is theirs: never kept by a shared or
    browser cache, and never in the page title (titles land in history and tab lists).
    """

    template_name = "education/guide_search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = " ".join(self.request.GET.get("q", "").split())[:SEARCH_MAX_LENGTH]
        # NUL cannot reach PostgreSQL; other control characters mean nothing in a search.
        query = "".join(ch for ch in query if ch.isprintable())
        results = list(Guide.objects.search(query)[:20]) if query else []
        for result in results:
            result.highlighted = mark_safe(
                escape(result.snippet).replace("\x02", "<mark>").replace("\x03", "</mark>")
            )
        context.update(query=query, results=results)
        if not results:
            context["topics"] = Topic.objects.prefetch_related(
                Prefetch("guides", queryset=Guide.objects.published().only("title", "slug"))
            )
        return context


@method_decorator(cacheable_page, name="dispatch")
class ProgramsView(TemplateView):
    """The treatment options the clinic offers."""

    template_name = "education/programs.html"


@method_decorator(cacheable_page, name="dispatch")
class AboutView(TemplateView):
    """Who we are and who answers a request."""

    template_name = "education/about.html"


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
