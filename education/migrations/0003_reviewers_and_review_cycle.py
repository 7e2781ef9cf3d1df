"""Named clinical reviewers, a review cycle, source addresses and the emergency box.

Existing guides keep their reviewer's name as a placeholder reviewer (administrators then
pick real ones). A guide the loader wrote and nobody has edited since is marked so that
the next `load_guides` brings it up to date, although the fingerprint's fields changed.
"""

import calendar
import hashlib
import json
import re

import django.db.models.deletion
from django.db import migrations, models
from django.utils.text import slugify

UNTOUCHED_SINCE_LOAD = "untouched-before-0003"
CRISIS_WORDS = re.compile(r"overdos|suicid|self-harm|return to use|using again|naloxone", re.I)


def _old_fingerprint(article, sources):
    fields = {
        "sources": [list(source) for source in sources],
        "topic": article.topic.slug,
        "title": article.title.strip(),
        "slug": article.slug,
        "summary": article.summary.strip(),
        "body": article.body_markdown.replace("\r\n", "\n").strip(),
        "featured": article.featured,
        "order": article.order,
        "reviewed_on": str(article.reviewed_on),
        "reviewed_by": article.reviewed_by,
    }
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


def _add_year(day):
    year = day.year + 1
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def forwards(apps, schema_editor):
    Article = apps.get_model("education", "Article")
    Reviewer = apps.get_model("education", "Reviewer")
    for article in Article.objects.select_related("topic"):
        sources = [(s.title, s.publisher) for s in article.sources.order_by("order", "pk")]
        untouched = article.seed_key and article.seed_fingerprint == _old_fingerprint(
            article, sources
        )
        name = article.reviewed_by.strip() or "Unnamed reviewer"
        article.reviewer, _ = Reviewer.objects.get_or_create(
            key=slugify(name)[:60] or "reviewer",
            defaults={"name": name[:120], "credentials": "", "placeholder": True},
        )
        article.next_review_on = _add_year(article.reviewed_on)
        article.shows_emergency_box = bool(CRISIS_WORDS.search(article.body_text))
        if untouched:
            article.seed_fingerprint = UNTOUCHED_SINCE_LOAD
        article.save(
            update_fields=["reviewer", "next_review_on", "shows_emergency_box", "seed_fingerprint"]
        )


class Migration(migrations.Migration):
    dependencies = [("education", "0002_shipped_guide")]

    operations = [
        migrations.CreateModel(
            name="Reviewer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "key",
                    models.SlugField(
                        help_text="A short name for this reviewer in content files.",
                        max_length=60,
                        unique=True,
                    ),
                ),
                ("name", models.CharField(max_length=120)),
                (
                    "credentials",
                    models.CharField(help_text='For example "MD" or "PharmD".', max_length=60),
                ),
                (
                    "specialty",
                    models.CharField(
                        blank=True, help_text='For example "addiction medicine".', max_length=120
                    ),
                ),
                (
                    "active",
                    models.BooleanField(
                        default=True, help_text="Only active reviewers can be chosen for a guide."
                    ),
                ),
                (
                    "placeholder",
                    models.BooleanField(
                        default=False,
                        help_text="A sample reviewer shipped with the site: replace before the site goes live.",
                    ),
                ),
            ],
            options={"ordering": ["name"]},
        ),
        migrations.AddField(
            model_name="article",
            name="reviewer",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="guides",
                to="education.reviewer",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="review_interval_months",
            field=models.PositiveSmallIntegerField(
                default=12,
                help_text="How long a review holds before the guide must be checked again.",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="next_review_on",
            field=models.DateField(editable=False, null=True, verbose_name="next review due"),
        ),
        migrations.AddField(
            model_name="article",
            name="shows_emergency_box",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="source",
            name="url",
            field=models.URLField(default="", max_length=500, verbose_name="address"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="source",
            name="read_on",
            field=models.DateField(
                help_text="When we last read this source.", null=True, verbose_name="read on"
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="article",
            name="reviewer",
            field=models.ForeignKey(
                help_text="The clinician who checked this guide. Administrators keep the list.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="guides",
                to="education.reviewer",
            ),
        ),
        migrations.RemoveField(model_name="article", name="reviewed_by"),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["next_review_on"], name="article_next_review_idx"),
        ),
    ]
