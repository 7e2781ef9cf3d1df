"""A guide names the clinician who checked it, and editors see which guides fall due."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.utils import timezone

from education.models import OVERDOSE_GUIDE_SLUG, Guide, add_months
from recovery_site import roles
from tests.factories import GuideFactory, ReviewerFactory, user_in_role
from tests.helpers import change_form_data

pytestmark = pytest.mark.django_db
GUIDES = "/admin/education/guide/"


def test_a_visitor_sees_who_reviewed_a_guide_when_and_when_it_is_due_again(client):
    reviewer = ReviewerFactory(name="Sam Okafor", credentials="MD", specialty="addiction medicine")
    GuideFactory(slug="withdrawal", reviewer=reviewer, reviewed_on=datetime.date(2026, 3, 31))

    page = client.get("/learn/withdrawal/").content.decode()

    assert "Medically reviewed by Sam Okafor, MD, addiction medicine" in page
    assert '<time datetime="2026-03-31">March 31, 2026</time>' in page
    assert 'Next review due <time datetime="2027-03-31">March 31, 2027</time>' in page


def test_the_next_review_follows_the_interval_the_editor_sets():
    guide = GuideFactory(reviewed_on=datetime.date(2026, 8, 31), review_interval_months=6)

    assert guide.next_review_on == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2028, 1, 31), 1) == datetime.date(2028, 2, 29)


def test_a_guide_about_overdose_shows_the_emergency_box_and_a_calm_one_does_not(client):
    GuideFactory(slug="naloxone", body_markdown="## Be ready\n\nKeep naloxone for an overdose.")
    GuideFactory(slug="sleep", body_markdown="## Rest\n\nRegular sleep helps recovery.")

    risky = client.get("/learn/naloxone/").content.decode()
    calm = client.get("/learn/sleep/").content.decode()

    assert 'class="emergency"' in risky
    assert 'href="tel:911"' in risky.split('class="emergency"')[1].split("</aside>")[0]
    assert 'href="tel:988"' in risky.split('class="emergency"')[1].split("</aside>")[0]
    assert 'class="emergency"' not in calm


def test_an_editor_finds_guides_due_for_review_from_the_admin_home(client):
    today = timezone.localdate()
    overdue = GuideFactory(title="Overdue guide", reviewed_on=add_months(today, -13))
    soon = GuideFactory(
        title="Due soon guide", reviewed_on=add_months(today, -12) + datetime.timedelta(days=10)
    )
    GuideFactory(title="Fresh guide", reviewed_on=today)
    client.force_login(user_in_role(roles.CONTENT_EDITORS, username="eddie"))

    home = client.get("/admin/").content.decode()
    due = client.get(GUIDES, {"review": "due"}).content.decode()
    late = client.get(GUIDES, {"review": "overdue"}).content.decode()

    assert "<strong>2</strong> due for review within 30 days or overdue" in home
    assert "<strong>1</strong> overdue for review" in home
    assert overdue.title in due and soon.title in due and "Fresh guide" not in due
    assert overdue.title in late and soon.title not in late
    assert "Overdue:" in late


def test_editors_choose_a_reviewer_from_the_list_but_cannot_add_one(client):
    active = ReviewerFactory(name="Ana Lima")
    ReviewerFactory(name="Retired Reviewer", active=False)
    guide = GuideFactory(reviewer=active)
    client.force_login(user_in_role(roles.CONTENT_EDITORS, username="eddie"))

    form = client.get(f"{GUIDES}{guide.pk}/change/").context["adminform"].form
    choices = [str(reviewer) for reviewer in form.fields["reviewer"].queryset]

    assert any("Ana Lima" in choice for choice in choices)
    assert not any("Retired Reviewer" in choice for choice in choices)
    assert client.get("/admin/education/reviewer/add/").status_code == 403


def test_an_administrator_adds_a_reviewer(client, admin_user):
    client.force_login(admin_user)

    response = client.post(
        "/admin/education/reviewer/add/",
        {
            "key": "lee-park",
            "name": "Lee Park",
            "credentials": "DO",
            "specialty": "",
            "active": "on",
            "about_order": "0",  # the form's own default, sent as the admin shows it
        },
    )

    assert response.status_code == 302
    assert (
        str(Guide._meta.get_field("reviewer").related_model.objects.get(key="lee-park"))
        == "Lee Park, DO"
    )


def test_the_admin_home_warns_while_guides_name_a_placeholder_reviewer(client, admin_user):
    GuideFactory(reviewer=ReviewerFactory(placeholder=True))
    client.force_login(admin_user)

    home = client.get("/admin/").content.decode()

    assert "<strong>1</strong> reviewed by a placeholder reviewer" in home


def test_the_guide_form_shows_its_reading_grade_and_wording_to_fix(client, admin_user):
    guide = GuideFactory(body_markdown="## Words\n\nHe was an addict before the MAT program.")
    client.force_login(admin_user)

    page = client.get(f"{GUIDES}{guide.pk}/change/").content.decode()

    assert "Reading grade" in page
    assert "“addict”" in page and "“MAT”" in page


def test_every_page_reaches_the_overdose_steps_in_one_tap_and_they_come_first(client, guides):
    overdose = guides.get(slug=OVERDOSE_GUIDE_SLUG)

    for page in ("/", "/programs/", "/learn/", "/learn/heroin-withdrawal/"):
        banner = client.get(page).content.decode().split('class="crisis"')[1].split("</aside>")[0]
        assert f'href="{overdose.get_absolute_url()}"' in banner, page
    html = client.get(overdose.get_absolute_url()).content.decode()
    assert html.index("<ol>\n<li><strong>Call <a") < html.index("On this page")
    assert 'class="emergency"' not in html  # the page is itself the emergency steps


def test_a_placeholder_reviewer_is_never_shown_as_having_reviewed_a_guide(client):
    sample = ReviewerFactory(name="Dana Ortiz", placeholder=True)
    GuideFactory(slug="withdrawal", reviewer=sample)

    page = client.get("/learn/withdrawal/").content.decode()

    assert "Medical review pending" in page
    assert "Dana Ortiz" not in page and "Medically reviewed by" not in page
    assert "reviewedBy" not in page and "lastReviewed" not in page


def test_the_overdose_guide_offers_a_call_911_button_under_its_title(client, guides):
    html = client.get(f"/learn/{OVERDOSE_GUIDE_SLUG}/").content.decode()

    assert html.index("<h1>") < html.index('class="call-button" href="tel:911">Call 911 now')
    assert html.index('href="tel:911">Call 911 now') < html.index('class="lead"')


def test_an_editor_is_told_of_an_impossible_review_and_keeps_what_they_typed(client, admin_user):
    guide = GuideFactory()
    client.force_login(admin_user)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = client.post(
        f"{GUIDES}{guide.pk}/change/",
        change_form_data(
            guide,
            reviewed_on=tomorrow.isoformat(),
            review_interval_months="0",
            body_markdown="## New\n\nText the editor typed.",
        ),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "A review cannot be dated in the future" in page
    assert "greater than or equal to 1" in page
    assert "Text the editor typed." in page
    guide.refresh_from_db()
    assert "Text the editor typed." not in guide.body_markdown


def test_saving_a_guide_with_labelling_words_warns_on_the_next_page(client, admin_user):
    guide = GuideFactory(title="Family guide")
    client.force_login(admin_user)

    response = client.post(
        f"{GUIDES}{guide.pk}/change/",
        change_form_data(guide, body_markdown="## Words\n\nAfter a relapse, call us."),
        follow=True,
    )

    page = response.content.decode()
    assert "“Family guide” needs plain-language work" in page
    assert "“relapse” (say return to use)" in page


def test_a_new_guide_offers_only_active_reviewers(client, admin_user):
    ReviewerFactory(name="Ana Lima")
    ReviewerFactory(name="Retired Reviewer", active=False)  # has no guides
    client.force_login(admin_user)

    form = client.get(f"{GUIDES}add/").context["adminform"].form
    names = [reviewer.name for reviewer in form.fields["reviewer"].queryset]

    assert "Ana Lima" in names and "Retired Reviewer" not in names


@pytest.fixture
def spanish_translation(staff_roles):
    original = GuideFactory(title="Overdose", slug="overdose-en", reviewer=ReviewerFactory(
        name="Sam Okafor"))  # fmt: skip
    return GuideFactory(
        title="Sobredosis", slug="sobredosis-es", language="es", translation_of=original,
        topic=original.topic, reviewer=original.reviewer, awaiting_translation_review=True,
        reviewed_on=datetime.date(2026, 1, 5),
    )  # fmt: skip


def test_a_clinical_reviewer_approves_a_translation_and_visitors_see_it_reviewed(
    client, spanish_translation, settings
):
    settings.PAGE_CACHE_ENABLED, settings.PAGE_CACHE_VERSION_SECONDS = True, 0
    clinician = user_in_role(roles.CLINICAL_REVIEWERS, username="ana")
    ReviewerFactory(name="Ana Lima", user=clinician)
    address = spanish_translation.get_absolute_url()
    before = client.get(address)  # kept by the page cache
    change = f"{GUIDES}{spanish_translation.pk}/change/"

    client.force_login(clinician)
    form = client.get(change).content.decode()
    response = client.post(change, {"_approve_translation": "Approve"}, follow=True)
    client.logout()
    after = client.get(address)

    assert 'value="Approve translation as Ana Lima"' in form
    assert "Translation approved as Ana Lima" in response.content.decode()
    spanish_translation.refresh_from_db()
    assert not spanish_translation.awaiting_translation_review
    assert spanish_translation.reviewer.name == "Ana Lima"
    assert spanish_translation.reviewed_on == timezone.localdate()
    assert LogEntry.objects.get(object_id=str(spanish_translation.pk)).get_change_message() == (
        "Approved the translation as Ana Lima"
    )
    assert before.context["guide"].awaiting_translation_review  # rendered, then kept
    assert "Ana Lima" not in before.content.decode()
    # A new page, not the kept one: it names the reviewer, and no longer awaits one.
    assert not after.context["guide"].awaiting_translation_review
    assert "Ana Lima" in after.content.decode()


def test_only_a_clinical_reviewer_may_approve_a_translation(client, spanish_translation):
    editor = user_in_role(roles.CONTENT_EDITORS, username="eddie")
    ReviewerFactory(name="Eddie Not A Clinician", user=editor)  # linked, but no permission
    change = f"{GUIDES}{spanish_translation.pk}/change/"
    client.force_login(editor)

    assert "Approve translation" not in client.get(change).content.decode()
    response = client.post(change, {"_approve_translation": "Approve"}, follow=True)

    assert "Only a clinical reviewer with their own account can approve." in (
        response.content.decode()
    )
    spanish_translation.refresh_from_db()
    assert spanish_translation.awaiting_translation_review
