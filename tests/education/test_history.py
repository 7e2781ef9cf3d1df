"""A guide's history in the admin: every draft saved and every publish with who and when,
any two compared as the text people wrote, and any one put back as a new draft."""

import pytest
from django.contrib.auth.models import Permission

from education.admin_history import readable_contents
from education.models import Guide, GuideRevision
from education.revisions import content_of
from education.services import draft_save, guide_publish
from tests.factories import GuideFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

OLD_SENTENCE = "Withdrawal usually peaks on the second or third day."
NEW_SENTENCE = "Withdrawal is often worst on the second or third day."


@pytest.fixture
def editor(client):
    """A content editor who may change guides (publishing is another permission)."""
    user = UserFactory(username="robin", first_name="Robin", last_name="Hale")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_guide", "change_guide"])
    )
    client.force_login(user)
    return user


@pytest.fixture
def edited_guide(editor):
    """A live guide, published with one sentence, then changed in a draft."""
    guide = GuideFactory(title="Withdrawal", body_markdown=f"## What to expect\n\n{OLD_SENTENCE}\n")
    guide_publish(guide=guide, actor=editor)
    content = {**content_of(guide), "body_markdown": f"## What to expect\n\n{NEW_SENTENCE}\n"}
    draft_save(guide=guide, content=content, author=editor)
    return guide


def url(guide, rest=""):
    return f"/admin/education/guide/{guide.pk}/{rest}"


def test_the_history_lists_every_save_and_publish_newest_first_with_who(client, edited_guide):
    page = client.get(url(edited_guide, "revisions/")).content.decode()

    draft_at, published_at = page.index("Draft saved"), page.index("Published")
    assert draft_at < published_at  # newest first
    assert page.count("Robin Hale") == 2
    assert "The current draft." in page and "Visitors see this version." in page


def test_the_history_button_of_the_change_form_leads_to_the_revisions(client, edited_guide):
    response = client.get(url(edited_guide, "history/"))

    assert response.status_code == 302
    assert response["Location"] == url(edited_guide, "revisions/")
    # Django's own admin log stays one link away.
    assert client.get(url(edited_guide, "revisions/log/")).status_code == 200


def test_compare_shows_a_changed_sentence_as_removed_and_added(client, edited_guide):
    published, draft = GuideRevision.objects.filter(guide=edited_guide).order_by("created_at")

    page = client.get(url(edited_guide, f"revisions/compare/?a={draft.pk}&b={published.pk}"))

    html = page.content.decode()
    assert "<h2>Body</h2>" in html
    # The older version is always "from", whichever radio button it was chosen with.
    assert html.index(f"<del>{OLD_SENTENCE}</del>") < html.index(f"<ins>{NEW_SENTENCE}</ins>")
    assert "Removed:" in html and "Added:" in html  # said in words, not only in colour
    assert "<h2>Title</h2>" not in html  # only what changed


def test_compare_names_the_topic_and_related_guides_instead_of_numbers(client, editor):
    guide = GuideFactory(topic=TopicFactory(title="Understanding heroin"))
    guide_publish(guide=guide, actor=editor)
    moved = {
        **content_of(guide),
        "topic": TopicFactory(title="Treatment and recovery").pk,
        "related": [GuideFactory(title="Medications for opioid use disorder").pk],
    }
    draft_save(guide=guide, content=moved, author=editor)
    older, newer = guide.revisions.order_by("created_at")

    html = client.get(url(guide, f"revisions/compare/?a={older.pk}&b={newer.pk}")).content.decode()

    assert "<del>Understanding heroin</del>" in html
    assert "<ins>Treatment and recovery</ins>" in html
    assert "<ins>Medications for opioid use disorder</ins>" in html


def test_names_are_read_in_one_query_each_however_many_versions(
    edited_guide, django_assert_num_queries
):
    edited_guide.related.set(GuideFactory.create_batch(3))
    contents = [r.content for r in edited_guide.revisions.all()] * 10 + [content_of(edited_guide)]

    with django_assert_num_queries(3):  # topics, reviewers, related guides
        readable_contents(*contents)


def test_compare_needs_two_different_versions(client, edited_guide):
    revision = edited_guide.revisions.first()

    response = client.get(
        url(edited_guide, f"revisions/compare/?a={revision.pk}&b={revision.pk}"), follow=True
    )

    assert "Choose two different versions to compare." in response.content.decode()


def test_putting_a_version_back_makes_a_draft_and_the_public_page_stays_as_it_was(
    client, editor, edited_guide
):
    guide_publish(guide=edited_guide, actor=editor)  # visitors now read the new sentence
    first = edited_guide.revisions.order_by("created_at").first()
    confirm = client.get(url(edited_guide, f"revisions/{first.pk}/revert/")).content.decode()
    assert "Put this version back as a draft" in confirm

    response = client.post(url(edited_guide, f"revisions/{first.pk}/revert/"), follow=True)

    assert response.redirect_chain[-1][0] == url(edited_guide, "change/")
    assert "is back as a draft" in response.content.decode()
    edited_guide.refresh_from_db()
    assert OLD_SENTENCE in edited_guide.draft.content["body_markdown"]
    assert edited_guide.draft.note.startswith("Reverted to the version of")
    public = client.get(f"/learn/{edited_guide.slug}/").content.decode()
    assert NEW_SENTENCE in public and OLD_SENTENCE not in public


def test_someone_who_may_only_read_guides_cannot_put_a_version_back(client, edited_guide):
    reader = UserFactory(username="sam")
    reader.user_permissions.add(Permission.objects.get(codename="view_guide"))
    client.force_login(reader)
    first = edited_guide.revisions.order_by("created_at").first()

    assert client.get(url(edited_guide, "revisions/")).status_code == 200
    assert client.post(url(edited_guide, f"revisions/{first.pk}/revert/")).status_code == 403
    assert (
        Guide.objects.get(pk=edited_guide.pk)
        .draft.content["body_markdown"]
        .endswith(f"{NEW_SENTENCE}\n")
    )


def test_a_long_history_is_shown_a_page_at_a_time(client, editor):
    guide = GuideFactory()
    for number in range(25):
        draft_save(guide=guide, content={**content_of(guide), "order": number}, author=editor)

    first_page = client.get(url(guide, "revisions/")).content.decode()
    second_page = client.get(url(guide, "revisions/?page=2")).content.decode()

    assert "Page 1 of 2" in first_page and first_page.count('name="a"') == 20
    assert second_page.count('name="a"') == 5
