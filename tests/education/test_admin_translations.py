"""Content staff translate guides, topics and reviewers' words in the admin."""

import pytest

from education.models import Guide, Topic
from recovery_site import roles
from tests.education.test_drafts import change_url, form_as_shown
from tests.factories import GuideFactory, ReviewerFactory, TopicFactory, user_in_role

pytestmark = pytest.mark.django_db
GUIDES = "/admin/education/guide/"


@pytest.fixture
def editor(db):
    return user_in_role(roles.CONTENT_EDITORS, username="dana")


@pytest.fixture
def original(db):
    return GuideFactory(title="What to do in an overdose", slug="overdose", featured=True,
                        summary="Call 911 and give naloxone.",
                        body_markdown="## Call 911\n\nStay with them.")  # fmt: skip


def spanish(original, **fields):
    return GuideFactory(**{
        "title": "Qué hacer en una sobredosis", "slug": "sobredosis", "language": "es",
        "translation_of": original, "topic": original.topic, "reviewer": original.reviewer,
        "awaiting_translation_review": True, **fields,
    })  # fmt: skip


def test_an_original_lists_its_translations_or_offers_to_add_one(client, editor, original):
    client.force_login(editor)

    without = client.get(change_url(original)).content.decode()
    spanish_guide = spanish(original)
    with_one = client.get(change_url(original)).content.decode()

    add_url = (f"{GUIDES}add/?language=es&amp;translation_of={original.pk}"
               f"&amp;topic={original.topic_id}&amp;reviewer={original.reviewer_id}")  # fmt: skip
    assert (
        "Translations" in without and f'<a href="{add_url}">Add Spanish translation</a>' in without
    )
    assert "Add Spanish translation" not in with_one
    assert (f'Spanish: <a href="{change_url(spanish_guide)}">Qué hacer en una sobredosis</a> '
            "(awaiting clinical review)") in with_one  # fmt: skip


def test_an_editor_adds_a_translation_that_waits_for_a_clinical_review(client, editor, original):
    client.force_login(editor)
    query = {"language": "es", "translation_of": original.pk, "topic": original.topic_id,
             "reviewer": original.reviewer_id}  # fmt: skip
    page = client.get(f"{GUIDES}add/", query)
    form = page.context["adminform"].form

    assert {name: str(form[name].value()) for name in ("language", "translation_of", "reviewer")} \
        == {"language": "es", "translation_of": str(original.pk), "reviewer": str(original.reviewer_id)}  # fmt: skip
    assert not {"topic", "featured", "order", "related"} & set(form.fields)
    assert "Call 911 and give naloxone." in page.content.decode()  # the original, beside

    data = {name: form[name].value() for name in form.fields} | {
        "title": "Qué hacer en una sobredosis", "slug": "sobredosis",
        "summary": "Llame al 911.", "body_markdown": "## Llame al 911\n\nQuédese con la persona.",
        "reviewed_on": "2026-11-01", "awaiting_translation_review": "",
        "sources-TOTAL_FORMS": "0", "sources-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = client.post(f"{GUIDES}add/?translation_of={original.pk}", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    translation = Guide.objects.get(slug="sobredosis")
    assert translation.translation_of == original and translation.language == "es"
    assert translation.awaiting_translation_review
    assert (translation.topic, translation.featured) == (original.topic, True)  # the original's
    assert translation.status == Guide.Status.DRAFT


def test_a_translation_shows_its_english_original_beside_the_form(client, editor, original):
    translation = spanish(original, topic=TopicFactory(), order=9, status=Guide.Status.DRAFT)
    client.force_login(editor)

    page = client.get(change_url(translation))
    html = page.content.decode()
    aside = html.split('<aside class="translation-original"')[1].split("</aside>")[0]

    assert html.index('<aside class="translation-original"') < html.index('id="guide_form"')
    assert "What to do in an overdose" in aside and "Call 911 and give naloxone." in aside
    assert "<h2>Call 911</h2>" in aside.replace(' id="call-911"', "")
    assert f'href="{change_url(original)}"' in aside and 'href="/learn/overdose/"' in aside
    form = page.context["adminform"].form
    assert {"slug", "reviewer", "reviewed_on"} <= set(form.fields)
    assert not {"topic", "featured", "order", "related", "awaiting_translation_review"} & set(
        form.fields
    )

    # Saving takes the topic and order from the original again.
    client.post(change_url(translation), form_as_shown(client, translation, title="Sobredosis"))
    translation.refresh_from_db()
    assert (translation.title, translation.topic, translation.order) == (
        "Sobredosis", original.topic, original.order
    )  # fmt: skip


def test_a_content_editor_cannot_clear_the_awaiting_review_mark_with_the_form(
    client, editor, original
):
    translation = spanish(original, status=Guide.Status.DRAFT)
    client.force_login(editor)

    for data in (
        form_as_shown(client, translation, awaiting_translation_review=""),
        form_as_shown(client, translation, title="Otra", awaiting_translation_review="off"),
        {"_approve_translation": "Approve translation"},
    ):
        client.post(change_url(translation), data)

    translation.refresh_from_db()
    assert translation.title == "Otra"  # the form was saved, the mark with it untouched
    assert translation.awaiting_translation_review
    assert "Approve translation" not in client.get(change_url(translation)).content.decode()


def test_the_list_shows_languages_translations_and_filters_them(client, editor, original):
    translated = spanish(original, status=Guide.Status.PUBLISHED, awaiting_translation_review=False)
    waiting_original = GuideFactory(title="Withdrawal")
    waiting = spanish(waiting_original, title="Abstinencia", slug="abstinencia")
    GuideFactory(title="Sleep")
    client.force_login(editor)

    listed = client.get(GUIDES).content.decode()
    spanish_only = client.get(GUIDES, {"language": "es"}).context["cl"].result_list
    awaiting = client.get(GUIDES, {"translation_review": "awaiting"}).context["cl"].result_list

    assert "English<br>Spanish: published" in listed
    assert "English<br>Spanish: awaiting clinical review" in listed
    assert "English<br>no Spanish" in listed
    assert "Spanish (translation)" in listed
    assert "Awaiting clinical review of translation" in listed
    assert set(spanish_only) == {translated, waiting}
    assert list(awaiting) == [waiting]


def test_topics_and_reviewers_have_a_box_for_each_translated_word(client, admin_user):
    topic = TopicFactory(title="Overdose", description="Stay safe.")
    client.force_login(admin_user)
    url = f"/admin/education/topic/{topic.pk}/change/"

    html = client.get(url).content.decode()
    assert '<label for="id_title_es">Title (Español):</label>' in html
    assert '<label for="id_description_es">Description (Español):</label>' in html
    client.post(url, {"title": "Overdose", "slug": topic.slug, "description": "Stay safe.",
                      "order": 0, "title_es": "Sobredosis", "description_es": ""})  # fmt: skip

    topic = Topic.objects.get(pk=topic.pk)
    assert topic.translations == {"es": {"title": "Sobredosis"}}
    assert topic.translated("title", "es") == "Sobredosis"
    assert topic.translated("description", "es") == "Stay safe."  # empty: the English

    reviewer = ReviewerFactory(translations={"es": {"role": "Directora médica"}})
    reviewer_page = client.get(f"/admin/education/reviewer/{reviewer.pk}/change/")
    assert reviewer_page.context["adminform"].form["role_es"].value() == "Directora médica"
    assert "Specialty (Español)" in reviewer_page.content.decode()
