"""Upgrading a live site keeps its guides and its staff's rights over them."""

import datetime
import hashlib
import json

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from education.models import Guide
from education.services import guides_load
from recovery_site import roles
from tests.factories import GuideFactory, user_in_role
from tests.helpers import change_form_data

BEFORE = [("education", "0002_shipped_guide")]
BEFORE_RENAME = "0005_guide_name_interval_limits"  # the model was still called Article


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def old_fingerprint(guide):
    fields = {
        "sources": [],
        "topic": "understanding-heroin",
        "title": guide.title,
        "slug": guide.slug,
        "summary": guide.summary,
        "body": guide.body_markdown.strip(),
        "featured": False,
        "order": 0,
        "reviewed_on": str(guide.reviewed_on),
        "reviewed_by": guide.reviewed_by,
    }
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_untouched_guides_are_refreshed_and_staff_edits_kept_after_the_upgrade():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old_apps = migrate(BEFORE)
    Topic = old_apps.get_model("education", "Topic")
    OldGuide = old_apps.get_model("education", "Article")  # its name before 0006
    topic = Topic.objects.create(slug="understanding-heroin", title="Understanding heroin")
    common = {
        "topic": topic,
        "summary": "Old summary.",
        "reviewed_on": datetime.date(2026, 1, 5),
        "reviewed_by": "Clinical review team",
        "status": "published",
    }
    untouched = OldGuide(
        seed_key="heroin-and-the-brain", slug="heroin-and-the-brain", title="Old title",
        body_markdown="Old body, from the first release.", **common,
    )  # fmt: skip
    untouched.seed_fingerprint = old_fingerprint(untouched)
    untouched.save()
    edited = OldGuide(
        seed_key="signs-of-heroin-use", slug="signs-of-heroin-use", title="Signs, by our nurses",
        body_markdown="Written by our nurses.", seed_fingerprint="not what was loaded", **common,
    )  # fmt: skip
    edited.save()

    migrate(latest)
    report = guides_load()

    refreshed = Guide.objects.get(seed_key="heroin-and-the-brain")
    kept = Guide.objects.get(seed_key="signs-of-heroin-use")
    assert "heroin-and-the-brain" in report.updated
    assert refreshed.body_markdown != "Old body, from the first release."
    assert refreshed.reviewer.key == "placeholder-reviewer"
    assert kept.body_markdown == "Written by our nurses."
    assert kept.reviewer.name == "Clinical review team" and kept.reviewer.placeholder
    assert kept.next_review_on == datetime.date(2027, 1, 5)


def the_site_as_the_last_release_left_it(roles_migration):
    """Migrated up to the rename, the roles holding the "article" permissions."""
    call_command("migrate", "education", BEFORE_RENAME, verbosity=0)
    ContentType.objects.filter(app_label="education").delete()
    ContentType.objects.clear_cache()
    migration, historical_apps = roles_migration
    migration.create_roles(historical_apps, schema_editor=None)


def assert_a_content_editor_edits_a_guide(client):
    guide = GuideFactory(title="Withdrawal")
    editor = user_in_role(roles.CONTENT_EDITORS, username="eddie")
    client.force_login(editor)
    response = client.post(
        f"/admin/education/guide/{guide.pk}/change/",
        change_form_data(guide, title="Withdrawal, step by step", _publish="Publish"),
    )
    assert response.status_code == 302
    guide.refresh_from_db()
    assert guide.title == "Withdrawal, step by step"
    assert editor.has_perm("education.delete_guide")
    assert not Permission.objects.filter(codename__endswith="_article").exists()


@pytest.mark.django_db(transaction=True)
def test_content_editors_still_edit_guides_after_the_model_is_renamed_guide(
    client, _roles_migration
):
    the_site_as_the_last_release_left_it(_roles_migration)

    call_command("migrate", verbosity=0)

    assert_a_content_editor_edits_a_guide(client)


@pytest.mark.django_db(transaction=True)
def test_guide_permissions_nobody_holds_take_over_the_roles_article_ones(client, _roles_migration):
    the_site_as_the_last_release_left_it(_roles_migration)
    # Left by an earlier try, or made by the staff_roles fixture over a current database.
    guide_type = ContentType.objects.create(app_label="education", model="guide")
    for action in ("add", "change", "delete", "view"):
        Permission.objects.create(
            content_type=guide_type, codename=f"{action}_guide", name=f"Can {action} guide"
        )

    # Django then keeps the old content type beside the new one, and says so.
    with pytest.warns(RuntimeWarning, match="Could not rename content type"):
        call_command("migrate", verbosity=0)

    assert_a_content_editor_edits_a_guide(client)
