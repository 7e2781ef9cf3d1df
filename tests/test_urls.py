"""Each address answers from the view a newcomer would look for, under the name templates use."""

import pytest
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import resolve, reverse

from education import views as education
from intake import views as intake
from intake.models import HelpRequest
from recovery_site import views as site
from recovery_site.enrolment import authenticator_view

PUBLIC = [
    ("/", "education:home", {}, education.HomeView),
    ("/learn/", "education:guide_list", {}, education.GuideListView),
    ("/learn/search/", "education:guide_search", {}, education.GuideSearchView),
    (
        "/learn/heroin-withdrawal/",
        "education:guide_detail",
        {"slug": "heroin-withdrawal"},
        education.GuideDetailView,
    ),
    ("/programs/", "education:programs", {}, education.ProgramsView),
    ("/about/", "education:about", {}, education.AboutView),
    ("/privacy/", "education:privacy", {}, education.PrivacyView),
    ("/contact/", "intake:contact", {}, intake.ContactView),
    ("/contact/thanks/", "intake:contact_thanks", {}, intake.ThanksView),
    ("/consultation/", "intake:consultation", {}, intake.ConsultationView),
    ("/consultation/thanks/", "intake:consultation_thanks", {}, intake.ThanksView),
    ("/robots.txt", "robots", {}, education.RobotsView),
    ("/sitemap.xml", "sitemap", {}, sitemap),
    ("/healthz", "healthz", {}, site.healthz),
    ("/csp-report", "csp_report", {}, site.csp_report),
]


@pytest.mark.parametrize(("path", "name", "kwargs", "view"), PUBLIC, ids=[p[0] for p in PUBLIC])
def test_each_public_address_is_served_by_its_view(path, name, kwargs, view):
    found = resolve(path)

    assert reverse(name, kwargs=kwargs) == path
    assert found.view_name == name
    assert found.captured_kwargs == kwargs
    assert getattr(found.func, "view_class", found.func) is view


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/contact/thanks/", HelpRequest.Kind.MESSAGE),
        ("/consultation/thanks/", HelpRequest.Kind.CONSULTATION),
    ],
)
def test_each_thank_you_page_thanks_for_its_own_form(path, kind):
    assert resolve(path).func.view_initkwargs == {"kind": kind}


def test_the_staff_pages_we_added_to_the_admin_are_served_by_our_views():
    queue_admin = admin.site._registry[HelpRequest]

    # admin_view() wraps each view (sign-in and permission checks) and keeps it as __wrapped__;
    # first setup is open before the admin lets the person in, so it is served as it is.
    assert reverse("admin:authenticator") == "/admin/authenticator/"
    assert resolve("/admin/authenticator/").func is authenticator_view
    export = "/admin/intake/helprequest/export/"
    assert reverse("admin:intake_helprequest_export") == export
    assert resolve(export).func.__wrapped__ == queue_admin.export_view
    shortcut = "/admin/r/12/34/"
    assert reverse("admin:view_on_site", args=[12, 34]) == shortcut
    assert resolve(shortcut).func.__wrapped__ == admin.site.view_on_site_shortcut


def test_a_staff_bookmark_from_when_guides_were_articles_still_opens_the_guide(client):
    response = client.get("/admin/education/article/7/change/?_changelist_filters=status%3Dd")

    assert response.status_code == 302
    assert response["Location"] == (
        "/admin/education/guide/7/change/?_changelist_filters=status%3Dd"
    )
