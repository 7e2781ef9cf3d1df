"""Editing a live guide in the admin keeps a draft until someone publishes it; the list
shows which guides wait; a medical change can wait for a clinical reviewer."""

import datetime
import shutil

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from education.models import Guide, GuideRevision
from education.revisions import content_of
from education.services import CONTENT_DIR, draft_save, guides_load
from recovery_site import roles
from tests.factories import (
    GuideFactory,
    ReviewerFactory,
    SourceFactory,
    UserFactory,
    user_in_role,
)

GUIDES = "/admin/education/guide/"


def change_url(guide) -> str:
    return f"{GUIDES}{guide.pk}/change/"


def form_as_shown(client, guide, **changes) -> dict:
    """What the browser sends back from the guide's change form, with `changes` typed in."""
    page = client.get(change_url(guide))
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(
            {f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()}
        )
        for row in formset.forms:
            data.update({row[name].html_name: row[name].value() for name in row.fields})
    data.update(changes)
    # An unticked box and an empty choice are not sent at all.
    return {name: value for name, value in data.items() if value is not None and value is not False}


@pytest.fixture
def live_guide(db):
    guide = GuideFactory(title="Withdrawal", slug="withdrawal")
    SourceFactory(guide=guide, title="TIP 63", publisher="SAMHSA", order=0)
    SourceFactory(guide=guide, title="Heroin DrugFacts", order=1)
    return guide


@pytest.fixture
def editor(staff_roles):
    return user_in_role(roles.CONTENT_EDITORS, username="dana", first_name="Dana")


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_VERSION_SECONDS = 0  # the shared version is checked on every request


@pytest.mark.usefixtures("page_cache_on")
def test_an_editor_changes_a_live_guide_and_visitors_see_it_only_once_published(
    client, live_guide, editor
):
    before = client.get("/learn/withdrawal/").content
    client.force_login(editor)

    response = client.post(
        change_url(live_guide),
        form_as_shown(client, live_guide, body_markdown="## New\n\nOur nurses rewrote this."),
        follow=True,
    )

    assert "Draft saved. Visitors still see the published version" in response.content.decode()
    assert client.get("/learn/withdrawal/").content == before  # byte for byte
    live_guide.refresh_from_db()
    assert live_guide.draft.content["body_markdown"] == "## New\n\nOur nurses rewrote this."

    client.post(change_url(live_guide), form_as_shown(client, live_guide, _publish="Publish"))

    assert "Our nurses rewrote this." in client.get("/learn/withdrawal/").content.decode()
    live_guide.refresh_from_db()
    assert live_guide.draft is None and live_guide.status == Guide.Status.PUBLISHED


def test_the_change_form_shows_the_draft_with_its_sources_and_related_guides(
    client, live_guide, editor
):
    other = GuideFactory(title="Treatment options")
    content = content_of(live_guide) | {
        "title": "Withdrawal, step by step",
        "related": [other.pk],
        "sources": [*content_of(live_guide)["sources"], ["TIP 63 update", "SAMHSA",
                    "https://library.samhsa.gov/", "2026-11-20"]],
    }  # fmt: skip
    draft_save(guide=live_guide, content=content, author=editor)
    client.force_login(editor)

    page = client.get(change_url(live_guide))

    html = page.content.decode()
    assert "Unpublished changes</strong> saved by Dana at" in html
    assert "visitors still see the version published on" in html
    form = page.context["adminform"].form
    assert form["title"].value() == "Withdrawal, step by step"
    assert list(form["related"].value()) == [other.pk]
    titles = [row["title"].value() for row in page.context["inline_admin_formsets"][0].formset]
    assert titles == ["TIP 63", "Heroin DrugFacts", "TIP 63 update", None]
    assert 'name="status"' not in html


def test_saving_the_draft_again_keeps_every_source_the_editor_did_not_touch(
    client, live_guide, editor
):
    client.force_login(editor)
    client.post(change_url(live_guide), form_as_shown(client, live_guide, title="Withdrawal now"))

    data = form_as_shown(client, live_guide, **{"sources-1-publisher": "NIDA"})
    data.update({"sources-2-title": "Medline", "sources-2-publisher": "NLM",
                 "sources-2-url": "https://medlineplus.gov/", "sources-2-read_on": "2026-11-20", "sources-2-order": "5"})  # fmt: skip
    client.post(change_url(live_guide), data)

    live_guide.refresh_from_db()
    assert [s[:2] for s in live_guide.draft.content["sources"]] == [
        ["TIP 63", "SAMHSA"], ["Heroin DrugFacts", "NIDA"], ["Medline", "NLM"]
    ]  # fmt: skip
    assert live_guide.draft.content["title"] == "Withdrawal now"
    assert live_guide.sources.count() == 2  # the published sources, untouched


def test_ticking_delete_on_a_source_drops_it_from_the_draft(client, live_guide, editor):
    client.force_login(editor)

    client.post(
        change_url(live_guide), form_as_shown(client, live_guide, **{"sources-0-DELETE": "on"})
    )

    live_guide.refresh_from_db()
    assert [s[0] for s in live_guide.draft.content["sources"]] == ["Heroin DrugFacts"]


def test_saving_an_unchanged_form_saves_no_draft(client, live_guide, editor):
    client.force_login(editor)

    response = client.post(change_url(live_guide), form_as_shown(client, live_guide), follow=True)

    assert "Nothing had changed" in response.content.decode()
    live_guide.refresh_from_db()
    assert live_guide.draft is None
    assert not LogEntry.objects.filter(object_id=str(live_guide.pk)).exists()


def test_a_new_guide_is_saved_unpublished_with_its_first_revision(client, editor):
    topic, reviewer = GuideFactory().topic, ReviewerFactory()
    client.force_login(editor)

    response = client.post(f"{GUIDES}add/", {
        "title": "Naloxone at home", "slug": "naloxone-at-home", "topic": topic.pk, "order": 0,
        "summary": "Where to keep it.", "body_markdown": "## Where\n\nBy the door.",
        "reviewer": reviewer.pk, "reviewed_on": "2026-11-01", "review_interval_months": 12,
        "sources-TOTAL_FORMS": 1, "sources-INITIAL_FORMS": 0, "sources-0-title": "Naloxone",
        "sources-0-publisher": "FDA", "sources-0-read_on": "2026-11-01", "sources-0-url": "https://fda.gov/", "sources-0-order": 0,
    })  # fmt: skip

    guide = Guide.objects.get(slug="naloxone-at-home")
    assert response.status_code == 302 and response["Location"] == change_url(guide)
    assert guide.status == Guide.Status.DRAFT
    # Not on the site yet: the whole guide waits, as a draft, to be published.
    assert guide.sources.get().publisher == "FDA"
    revision = guide.revisions.get()
    assert guide.draft == revision
    assert revision.kind == GuideRevision.Kind.DRAFT and revision.author == editor
    assert client.get("/learn/naloxone-at-home/").status_code == 404
    assert 'href="/learn/naloxone-at-home/"' not in client.get(change_url(guide)).content.decode()


def test_discarding_a_draft_keeps_the_published_version(client, live_guide, editor):
    client.force_login(editor)
    client.post(change_url(live_guide), form_as_shown(client, live_guide, title="Changed"))

    response = client.post(change_url(live_guide), {"_discard": "Discard draft"}, follow=True)

    assert "Draft discarded" in response.content.decode()
    live_guide.refresh_from_db()
    assert live_guide.draft is None and live_guide.title == "Withdrawal"


def test_only_staff_who_may_publish_see_and_use_publish(client, live_guide, staff_roles):
    helper = UserFactory(username="helper")
    helper.user_permissions.add(*Group.objects.get(name=roles.CONTENT_EDITORS).permissions.exclude(
        codename="publish_guide"))  # fmt: skip
    client.force_login(helper)

    page = client.get(change_url(live_guide)).content.decode()
    response = client.post(change_url(live_guide), form_as_shown(client, live_guide, _publish="1"))

    assert 'name="_publish"' not in page and 'name="_unpublish"' not in page
    assert response.status_code == 403


def test_unpublish_takes_the_guide_off_the_site(client, live_guide, editor):
    client.force_login(editor)

    client.post(change_url(live_guide), {"_unpublish": "Unpublish"})

    assert client.get("/learn/withdrawal/").status_code == 404


@pytest.fixture
def two_person_rule(settings):
    settings.GUIDE_TWO_PERSON_RULE = True


@pytest.fixture
def clinician(staff_roles):
    user = user_in_role(roles.CLINICAL_REVIEWERS, username="ana")
    ReviewerFactory(name="Ana Lima", user=user)
    return user


@pytest.mark.usefixtures("two_person_rule")
def test_with_the_two_person_rule_a_medical_change_waits_for_a_reviewers_approval(
    client, live_guide, editor, clinician
):
    client.force_login(editor)
    response = client.post(
        change_url(live_guide),
        form_as_shown(client, live_guide, body_markdown="## New dose advice", _publish="Publish"),
        follow=True,
    )
    html = response.content.decode()
    assert "Saved as a draft but not published." in html
    assert "Waiting for a clinical reviewer's approval" in html
    assert 'name="_publish"' not in html and 'name="_approve"' not in html
    assert "New dose advice" not in client.get("/learn/withdrawal/").content.decode()

    client.force_login(clinician)
    assert 'value="Approve as Ana Lima"' in client.get(change_url(live_guide)).content.decode()
    response = client.post(change_url(live_guide), {"_approve": "Approve"}, follow=True)
    assert "Approved as Ana Lima" in response.content.decode()

    client.force_login(editor)
    client.post(change_url(live_guide), form_as_shown(client, live_guide, _publish="Publish"))
    page = client.get("/learn/withdrawal/").content.decode()
    assert "New dose advice" in page and "Ana Lima" in page


def test_staff_who_may_not_edit_sources_keep_them_when_saving(client, live_guide, db):
    proofreader = UserFactory(username="pat")
    proofreader.user_permissions.set(Permission.objects.filter(
        codename__in=["view_guide", "change_guide", "view_source"]))  # fmt: skip
    client.force_login(proofreader)

    client.post(change_url(live_guide), form_as_shown(client, live_guide, title="Checked"))

    live_guide.refresh_from_db()
    assert live_guide.draft.content["title"] == "Checked"
    assert live_guide.draft.content["sources"] == content_of(live_guide)["sources"]


@pytest.mark.usefixtures("two_person_rule")
def test_a_reviewer_cannot_approve_their_own_changes(client, live_guide, clinician):
    client.force_login(clinician)
    client.post(change_url(live_guide), form_as_shown(client, live_guide, title="My own words"))

    page = client.get(change_url(live_guide)).content.decode()
    response = client.post(change_url(live_guide), {"_approve": "Approve"}, follow=True)

    assert 'name="_approve"' not in page
    assert "A second person must approve" in response.content.decode()


def test_the_list_shows_drafts_waiting_approvals_and_set_times(client, editor, settings):
    settings.GUIDE_TWO_PERSON_RULE = True
    drafted, waiting, scheduled = GuideFactory(), GuideFactory(), GuideFactory()
    draft_save(guide=drafted, content=content_of(drafted) | {"order": 3}, author=editor)
    draft_save(guide=waiting, content=content_of(waiting) | {"title": "New"}, author=editor)
    Guide.objects.filter(pk=scheduled.pk).update(
        publish_at=datetime.datetime(2026, 11, 24, 14, 0, tzinfo=datetime.UTC)
    )
    client.force_login(editor)

    html = client.get(GUIDES).content.decode()
    only_drafts = client.get(f"{GUIDES}?unpublished=yes").context["cl"].result_list

    assert "by Dana" in html and "Draft saved" in html
    assert "Waiting for approval" in html
    assert "Publishes Tue 24 Nov 09:00" in html  # the clinic's time
    assert set(only_drafts) == {drafted, waiting}


def test_the_list_asks_no_more_queries_for_more_guides(client, editor):
    def queries_for_the_list():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(GUIDES).status_code == 200
        return len(queries)

    client.force_login(editor)
    client.get(GUIDES)  # the first page after signing in starts the idle clock: a write
    for guide in GuideFactory.create_batch(2):
        draft_save(guide=guide, content=content_of(guide) | {"order": 2}, author=editor)
    few = queries_for_the_list()
    for guide in GuideFactory.create_batch(6):
        draft_save(guide=guide, content=content_of(guide) | {"order": 2}, author=editor)

    assert queries_for_the_list() == few


def test_roles_may_publish_and_approve_as_fits(staff_roles):
    editor = user_in_role(roles.CONTENT_EDITORS)
    clinician = user_in_role(roles.CLINICAL_REVIEWERS)
    administrator = user_in_role(roles.ADMINISTRATORS)

    assert editor.has_perm("education.publish_guide")
    assert not editor.has_perm("education.approve_guide")
    assert clinician.has_perms(["education.approve_guide", "education.change_guide",
                                "education.view_guiderevision"])  # fmt: skip
    assert not clinician.has_perm("education.publish_guide")
    assert administrator.has_perms(["education.publish_guide", "education.approve_guide"])


def test_an_administrator_links_a_reviewer_to_a_staff_account(client, admin_user):
    reviewer, account = ReviewerFactory(name="Ana Lima"), UserFactory(username="ana")
    client.force_login(admin_user)
    url = f"/admin/education/reviewer/{reviewer.pk}/change/"
    data = {"key": reviewer.key, "name": reviewer.name, "credentials": "MD", "active": "on",
            "about_order": 0, "user": account.pk}  # fmt: skip

    assert client.post(url, data).status_code == 302
    reviewer.refresh_from_db()
    assert reviewer.user == account


def test_draft_saves_publishes_discards_and_approvals_are_in_the_history(
    client, live_guide, editor, clinician, settings
):
    settings.GUIDE_TWO_PERSON_RULE = True
    client.force_login(editor)
    client.post(change_url(live_guide), form_as_shown(client, live_guide, title="One"))
    client.post(change_url(live_guide), {"_discard": "Discard draft"})
    client.post(change_url(live_guide), form_as_shown(client, live_guide, summary="Two."))
    client.force_login(clinician)
    client.post(change_url(live_guide), {"_approve": "Approve"})
    client.force_login(editor)
    client.post(change_url(live_guide), form_as_shown(client, live_guide, _publish="Publish"))

    history = LogEntry.objects.filter(object_id=str(live_guide.pk)).order_by("action_time", "pk")
    assert [(entry.user.username, entry.get_change_message()) for entry in history] == [
        ("dana", "Saved a draft: Title"),
        ("dana", "Discarded the draft"),
        ("dana", "Saved a draft: Summary"),
        ("ana", "Approved the draft as Ana Lima"),
        ("dana", "Published"),
    ]


@pytest.mark.django_db
def test_the_loader_never_overwrites_a_guide_with_a_draft(tmp_path):
    shutil.copytree(CONTENT_DIR, tmp_path / "content")
    guides_load(directory=tmp_path / "content")
    guide = Guide.objects.get(seed_key="heroin-withdrawal")
    draft_save(guide=guide, content=content_of(guide) | {"title": "Ours"}, author=None)
    path = tmp_path / "content" / "guides" / "heroin-withdrawal.md"
    path.write_text(path.read_text() + "\nA sentence the clinic added to its file.\n")

    report = guides_load(directory=tmp_path / "content")

    assert guide.slug in report.kept_staff_edits
    guide.refresh_from_db()
    assert "added to its file" not in guide.body_markdown
    assert guide.draft.content["title"] == "Ours"


@pytest.mark.usefixtures("two_person_rule")
def test_a_new_guide_cannot_go_on_the_site_until_a_reviewer_approves_it(client, editor, clinician):
    guide = GuideFactory(status=Guide.Status.DRAFT, slug="sleep", body_markdown="New advice.\n")
    draft_save(guide=guide, content=content_of(guide), author=editor)
    client.force_login(editor)

    client.post(change_url(guide), form_as_shown(client, guide, _publish="Publish"))

    assert client.get("/learn/sleep/").status_code == 404
    waiting = client.get(f"{GUIDES}?unpublished=approval").context["cl"].result_list
    assert list(waiting) == [guide]
    client.force_login(clinician)
    client.post(change_url(guide), {"_approve": "Approve"})
    client.force_login(editor)
    client.post(change_url(guide), form_as_shown(client, guide, _publish="Publish"))
    assert "Ana Lima" in client.get("/learn/sleep/").content.decode()


@pytest.mark.usefixtures("two_person_rule")
def test_a_set_time_that_passed_while_waiting_for_approval_publishes_on_approval(
    client, live_guide, editor, clinician, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    draft_save(guide=live_guide, content=content_of(live_guide) | {"title": "Changed"},
               author=editor)  # fmt: skip
    passed = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    Guide.objects.filter(pk=live_guide.pk).update(publish_at=passed)
    client.force_login(clinician)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(change_url(live_guide), {"_approve": "Approve"})

    queued = DBTaskResult.objects.filter(task_path="education.tasks.carry_out_schedule")
    assert queued.count() == 1


def test_a_loaded_guide_has_its_published_version_in_its_history(db, tmp_path):
    shutil.copytree(CONTENT_DIR, tmp_path / "content")
    guides_load(directory=tmp_path / "content")

    guide = Guide.objects.get(seed_key="heroin-withdrawal")
    first = guide.revisions.get()
    assert first.kind == GuideRevision.Kind.PUBLISHED
    assert first.content == content_of(guide)
