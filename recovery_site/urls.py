"""The site's URL map: each app brings its own namespaced urls.py."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from education.sitemaps import GuideSitemap, PageSitemap
from education.views import RobotsView
from intake.unsaved_changes import keep_alive
from recovery_site import views

handler400 = "recovery_site.views.bad_request"
handler403 = "recovery_site.views.permission_denied"
handler500 = "recovery_site.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # No trailing slash, as named in SECURE_CSP and REPORTING_ENDPOINTS.
    path("csp-report", views.csp_report, name="csp_report"),
    path("robots.txt", RobotsView.as_view(), name="robots"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"pages": PageSitemap, "guides": GuideSitemap}},
        name="sitemap",
    ),
    # Guides were "articles" in the admin's addresses until November 2026: staff bookmarks
    # still lead to the same page.
    re_path(
        r"^admin/education/article/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/education/guide/%(rest)s", query_string=True),
    ),
    # The idle warning's "Stay signed in" (intake/unsaved_changes.py), before the admin's own.
    path("admin/keep-alive/", keep_alive, name="admin_keep_alive"),
    # Passkeys: the person's own page, and the JSON the browser sends (recovery_site/passkeys.py).
    path("admin/passkeys/", include("recovery_site.passkeys")),
    path("admin/", admin.site.urls),
]
# What visitors read and send: English at the addresses it always had, Spanish under /es/.
urlpatterns += i18n_patterns(
    path("", include("intake.urls")),
    path("", include("education.urls")),
    prefix_default_language=False,
)

if settings.ENABLE_BENCH_CEILING:  # never in a real deployment
    urlpatterns.insert(0, path("bench/ceiling/", views.bench_ceiling))
