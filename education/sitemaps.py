"""The sitemap search engines read: public pages and every published guide."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from education.models import Guide


class PageSitemap(Sitemap):
    """The fixed public pages."""

    def items(self):
        return [
            "education:home",
            "education:guide_list",
            "education:programs",
            "education:about",
            "education:privacy",
        ]

    def location(self, item):
        return reverse(item)


class GuideSitemap(Sitemap):
    """Published guides, with the date each last changed."""

    def items(self):
        return Guide.objects.published().only("slug", "language", "updated_at").order_by("pk")

    def lastmod(self, guide):
        return guide.updated_at
