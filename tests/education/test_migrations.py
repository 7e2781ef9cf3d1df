"""A site that loaded the guides before reviewers existed gets the corrected guides."""

import datetime
import hashlib
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from education.services import guides_load

BEFORE = [("education", "0002_shipped_guide")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def old_fingerprint(article):
    fields = {
        "sources": [],
        "topic": "understanding-heroin",
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body_markdown.strip(),
        "featured": False,
        "order": 0,
        "reviewed_on": str(article.reviewed_on),
        "reviewed_by": article.reviewed_by,
    }
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_untouched_guides_are_refreshed_and_staff_edits_kept_after_the_upgrade():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old_apps = migrate(BEFORE)
    Topic = old_apps.get_model("education", "Topic")
    Article = old_apps.get_model("education", "Article")
    topic = Topic.objects.create(slug="understanding-heroin", title="Understanding heroin")
    common = {
        "topic": topic,
        "summary": "Old summary.",
        "reviewed_on": datetime.date(2026, 1, 5),
        "reviewed_by": "Clinical review team",
        "status": "published",
    }
    untouched = Article(
        seed_key="heroin-and-the-brain", slug="heroin-and-the-brain", title="Old title",
        body_markdown="Old body, from the first release.", **common,
    )  # fmt: skip
    untouched.seed_fingerprint = old_fingerprint(untouched)
    untouched.save()
    edited = Article(
        seed_key="signs-of-heroin-use", slug="signs-of-heroin-use", title="Signs, by our nurses",
        body_markdown="Written by our nurses.", seed_fingerprint="not what was loaded", **common,
    )  # fmt: skip
    edited.save()

    migrate(latest)
    report = guides_load()

    from education.models import Article as CurrentArticle

    refreshed = CurrentArticle.objects.get(seed_key="heroin-and-the-brain")
    kept = CurrentArticle.objects.get(seed_key="signs-of-heroin-use")
    assert "heroin-and-the-brain" in report.updated
    assert refreshed.body_markdown != "Old body, from the first release."
    assert refreshed.reviewer.key == "placeholder-reviewer"
    assert kept.body_markdown == "Written by our nurses."
    assert kept.reviewer.name == "Clinical review team" and kept.reviewer.placeholder
    assert kept.next_review_on == datetime.date(2027, 1, 5)
