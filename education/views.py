"""Public pages a visitor reads: home, the guide library, guides, search, and about pages.

Pages marked `@cacheable_page` are kept in memory for visitors without a session
(education/page_cache.py): only pages that are the same for every such visitor.
"""

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.utils.decorators import method_decorator
from django.utils.http import http_date
from django.views.decorators.cache import cache_control
from django.views.generic import DetailView, ListView, TemplateView

from education import search
from education.models import Guide, Reviewer, SlugRedirect, Topic
from education.page_cache import KeptInMemory, cacheable_page, kept_version

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
            "topic_id", "title", "slug", "language", "summary", "reading_minutes"
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
                Prefetch(
                    "related", queryset=Guide.objects.published().only("title", "slug", "language")
                ),
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
        key = (request.get_host(), self.query, self.exact)
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
        answer = search.search(self.query, exact=self.exact, version=self.version)
        context.update(query=self.query, answer=answer, results=answer.results)
        if not answer.results:
            context["topics"] = Topic.objects.prefetch_related(
                Prefetch(
                    "guides", queryset=Guide.objects.published().only("title", "slug", "language")
                )
            )
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
