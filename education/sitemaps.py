"""The sitemap search engines read: public pages and every published guide, in each language,
with hreflang alternates between a page's (or a guide's) versions."""

from collections import defaultdict
from functools import cached_property
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from education.models import Guide


class PageSitemap(Sitemap):
    """The fixed public pages, at their address in every language (/es/… for Spanish)."""

    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return [
            "education:home",
            "education:guide_list",
            "education:programs",
            "education:about",
            "education:privacy",
        ]

    def location(self, item):
        return reverse(item)  # in the language the sitemap activates for each entry


class GuideSitemap(Sitemap):
    """Published guides at their own addresses, with the date each last changed.

    A guide and its published translations name each other as alternates. An English guide
    with no translation is listed once, at its English address: its /es/ address only wraps
    the English text, so it is no Spanish page.
    """

    def items(self):
        return self.guides

    @cached_property
    def guides(self) -> list[Guide]:
        return list(
            Guide.objects.published()
            .only("slug", "language", "translation_of_id", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, guide):
        return guide.updated_at

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        versions = defaultdict(dict)  # the original's pk -> {language: guide}
        for guide in self.guides:
            versions[guide.translation_of_id or guide.pk][guide.language] = guide
        for url in urls:
            guide = url["item"]
            family = versions[guide.translation_of_id or guide.pk]
            if len(family) < 2:
                continue
            scheme, host, *_ = urlsplit(url["location"])
            address = {
                code: f"{scheme}://{host}{g.get_absolute_url()}" for code, g in family.items()
            }
            url["alternates"] = [
                {"location": location, "lang_code": code} for code, location in address.items()
            ]
            if settings.LANGUAGE_CODE in address:
                url["alternates"].append(
                    {"location": address[settings.LANGUAGE_CODE], "lang_code": "x-default"}
                )
        return urls
