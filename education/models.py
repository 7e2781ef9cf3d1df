"""Guides grouped into topics, written by clinic content staff."""

import calendar
import datetime
import hashlib
import json
import re

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation

from education import rendering
from education.querysets import GuideQuerySet, ReviewerQuerySet

# Search's own tables live beside its code; Django finds every model through this module.
from education.search_index import SearchPage, SearchSynonym, SearchWord  # noqa: F401

# The guide read during an emergency: linked from the crisis banner and the emergency box.
OVERDOSE_GUIDE_SLUG = "overdose-what-to-do"
# Its slug in each language, so the bar's link in an emergency needs no database and no
# redirect (a round trip is 2 s on a slow phone). A test holds these to the shipped files.
OVERDOSE_GUIDE_SLUGS = {"en": OVERDOSE_GUIDE_SLUG, "es": "sobredosis-que-hacer"}


def overdose_guide_url() -> str:
    """The overdose guide's address in the active language (English if it has none)."""
    language = translation.get_language()
    slug = OVERDOSE_GUIDE_SLUGS.get(language, OVERDOSE_GUIDE_SLUG)
    return reverse("education:guide_detail", kwargs={"slug": slug})


# A guide that speaks of an overdose, suicide or using again shows the emergency box near
# its top, not only the site's banner.
_CRISIS_WORDS = re.compile(
    r"overdos|suicid|self-harm|return to use|using again|naloxone"
    r"|sobredosis|autolesi|volver a consumir|naloxona",
    re.IGNORECASE,
)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month `months` later (the month's last day when it has fewer)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


class Translated(models.Model):
    """A row whose words staff also give in the site's other languages.

    `translations` holds them by language code: {"es": {"title": "…"}}; a word not given
    falls back to the English field. The admin shows one box per field and language.
    """

    TRANSLATED_FIELDS: tuple[str, ...] = ()

    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True

    def translated(self, field: str, language: str | None = None) -> str:
        """The field in `language` (the active one unless given), or in English."""
        language = language or translation.get_language() or settings.LANGUAGE_CODE
        return self.translations.get(language, {}).get(field) or getattr(self, field)


class Reviewer(Translated):
    """A clinician who medically reviews guides. Administrators keep the list."""

    TRANSLATED_FIELDS = ("specialty", "role")

    key = models.SlugField(
        max_length=60, unique=True, help_text="A short name for this reviewer in content files."
    )
    name = models.CharField(max_length=120)
    credentials = models.CharField(max_length=60, help_text='For example "MD" or "PharmD".')
    specialty = models.CharField(
        max_length=120, blank=True, help_text='For example "addiction medicine".'
    )
    active = models.BooleanField(
        default=True, help_text="Only active reviewers can be chosen for a guide."
    )
    placeholder = models.BooleanField(
        default=False,
        help_text="A sample reviewer shipped with the site: replace before the site goes live.",
    )
    # The About page's "Our clinical team" is these same clinicians: one list to keep.
    role = models.CharField(
        max_length=120, blank=True, help_text='Shown on the About page, e.g. "Medical director".'
    )
    on_about_page = models.BooleanField(
        "show on About page",
        default=False,
        help_text='List this clinician under "Our clinical team" (never a placeholder).',
    )
    about_order = models.PositiveSmallIntegerField(
        "order on About page", default=0, help_text="Lower numbers are listed first."
    )
    # The clinician's own staff account: they approve medical changes to guides as this
    # reviewer (the two-person rule), and the guide then names them and the day.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="reviewer", verbose_name="staff account",
        help_text="Lets this clinician approve changes to guides when signed in.",
    )  # fmt: skip

    objects = ReviewerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return ", ".join(part for part in (self.name, self.credentials, self.specialty) if part)


class GuideRevision(models.Model):
    """A guide's content at one moment: each draft save, publish and revert, with who and
    when. Never changed afterwards, except to record a reviewer's approval of a draft."""

    class Kind(models.TextChoices):
        DRAFT = "draft", "Draft saved"
        PUBLISHED = "published", "Published"

    guide = models.ForeignKey("Guide", on_delete=models.CASCADE, related_name="revisions")
    kind = models.CharField(max_length=10, choices=Kind)
    # education.revisions.content_of(): every field an editor can change, sources included.
    content = models.JSONField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Why, where there is more to say than the kind: "Reverted to the version of …".
    note = models.CharField(max_length=200, blank=True)
    # Differs from the published guide in its medical content (title, summary, body, sources).
    medical_change = models.BooleanField(default=False)
    approved_by = models.ForeignKey(
        "Reviewer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["guide", "-created_at"], name="guiderevision_guide_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.content.get('title', '')}"


class Topic(Translated):
    """A group of guides shown together in the library."""

    TRANSLATED_FIELDS = ("title", "description")

    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("education:guide_list") + f"#{self.slug}"


class Guide(models.Model):
    """One guide: Markdown written by staff, stored with its rendered, sanitised HTML."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="guides")
    title = models.CharField(max_length=160)
    slug = models.SlugField(
        max_length=100, unique=True, help_text="The guide's address: /learn/this-slug/."
    )
    summary = models.CharField(
        max_length=300, help_text="One or two plain sentences shown in lists and search engines."
    )
    body_markdown = models.TextField(
        "body", help_text="Markdown. Use ## for section headings (they build the contents list)."
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    featured = models.BooleanField(default=False, help_text="Show on the home page.")
    order = models.PositiveSmallIntegerField(default=0, help_text="Position within its topic.")
    reviewer = models.ForeignKey(
        Reviewer,
        on_delete=models.PROTECT,
        related_name="guides",
        help_text="The clinician who checked this guide. Administrators keep the list.",
    )
    reviewed_on = models.DateField("last reviewed")
    review_interval_months = models.PositiveSmallIntegerField(
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text="How many months a review holds before the guide must be checked again.",
    )
    next_review_on = models.DateField("next review due", editable=False, null=True)
    related = models.ManyToManyField("self", symmetrical=False, blank=True)

    # Translations: an English guide is an original; a guide in another language translates
    # one, with its own slug, reviewer and review date, and takes its topic and related
    # guides from the original. A translation is marked as awaiting clinical review until
    # a clinical reviewer approves it.
    language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    translation_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="translations",
        verbose_name="translation of", help_text="The English guide this one translates.",
    )  # fmt: skip
    awaiting_translation_review = models.BooleanField(
        "translation awaiting clinical review",
        default=False,
        help_text="Visitors see that a clinician has not yet checked this translation.",
    )

    # Derived from body_markdown on every save; never edited directly.
    body_html = models.TextField(editable=False, default="")
    body_text = models.TextField(editable=False, default="")
    toc = models.JSONField(editable=False, default=list)
    reading_minutes = models.PositiveSmallIntegerField(editable=False, default=1)
    shows_emergency_box = models.BooleanField(editable=False, default=False)
    search_vector = SearchVectorField(editable=False, null=True)

    # The starting guides' loader: which file a guide came from, and a fingerprint of the
    # content it last wrote, so that a later load can tell a staff edit from its own work.
    seed_key = models.CharField(max_length=100, unique=True, null=True, blank=True, editable=False)
    seed_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    # Editing workflow (education/revisions.py, services). The fields above are what
    # visitors see; changes to a published guide wait in `draft` until someone publishes.
    draft = models.ForeignKey(
        "GuideRevision", on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", help_text="Unpublished changes, if any.",
    )  # fmt: skip
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Carried out by the task worker (db_worker) at that time.
    publish_at = models.DateTimeField("publish at", null=True, blank=True, editable=False)
    unpublish_at = models.DateTimeField("unpublish at", null=True, blank=True, editable=False)

    objects = GuideQuerySet.as_manager()

    class Meta:
        ordering = ["topic__order", "order", "title"]
        permissions = [
            ("publish_guide", "Can publish and unpublish guides"),
            ("approve_guide", "Can approve medical changes to guides (a clinical reviewer)"),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="guide_search_idx"),
            models.Index(fields=["status", "featured"], name="guide_status_featured_idx"),
            models.Index(fields=["next_review_on"], name="guide_next_review_idx"),
        ]
        constraints = [
            # English guides are the originals; every other language translates one.
            models.CheckConstraint(
                condition=(
                    models.Q(language=settings.LANGUAGE_CODE, translation_of__isnull=True)
                    | (
                        ~models.Q(language=settings.LANGUAGE_CODE)
                        & models.Q(translation_of__isnull=False)
                    )
                ),
                name="guide_translation_has_original",
            ),
            models.CheckConstraint(
                condition=models.Q(awaiting_translation_review=False)
                | models.Q(translation_of__isnull=False),
                name="guide_only_translations_await_translation_review",
            ),
            models.UniqueConstraint(
                fields=["translation_of", "language"], name="guide_one_translation_per_language"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.derive()
        with transaction.atomic():
            if self.pk:
                old_slug = Guide.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
                if old_slug and old_slug != self.slug:
                    SlugRedirect.objects.update_or_create(
                        old_slug=old_slug, defaults={"guide": self}
                    )
            # A guide may take back a slug it once had; it no longer redirects.
            SlugRedirect.objects.filter(old_slug=self.slug).delete()
            super().save(*args, **kwargs)
            Guide.objects.filter(pk=self.pk).refresh_search_vectors()

    def get_absolute_url(self):
        """The guide's address in its own language (/es/learn/… for a Spanish guide)."""
        with translation.override(self.language):
            return reverse("education:guide_detail", kwargs={"slug": self.slug})

    @property
    def original(self) -> "Guide":
        """The English guide: itself, or the one it translates."""
        return self.translation_of if self.translation_of_id else self

    def clean(self):
        super().clean()
        if self.reviewed_on and self.reviewed_on > timezone.localdate():
            raise ValidationError(
                {"reviewed_on": "A review cannot be dated in the future. Use the day it was done."}
            )

    def derive(self) -> None:
        """Fill in what is derived from the Markdown and the review date (save() does; a
        preview does, for a guide it does not save)."""
        rendered = rendering.render(self.body_markdown)
        self.body_html = rendered.html
        self.body_text = rendered.text
        self.toc = rendered.toc
        self.reading_minutes = rendered.reading_minutes
        self.shows_emergency_box = bool(_CRISIS_WORDS.search(rendered.text))
        if self.reviewed_on:
            self.next_review_on = add_months(self.reviewed_on, self.review_interval_months)

    @property
    def is_overdose_guide(self) -> bool:
        return self.slug in OVERDOSE_GUIDE_SLUGS.values()

    @property
    def body_intro_and_rest(self) -> tuple[str, str]:
        """The body split before its first section, so urgent opening steps come first."""
        intro, marker, rest = self.body_html.partition("<h2")
        return intro, marker + rest

    def content_fingerprint(self, sources: list[tuple[str, ...]] | None = None) -> str:
        """A hash of everything staff can edit that the loader also writes."""
        if sources is None:
            sources = [s.as_tuple() for s in self.sources.all()] if self.pk else []
        fields = {
            "sources": [list(source) for source in sources],
            "topic": self.topic.slug if self.topic_id else None,
            "title": self.title.strip(),
            "slug": self.slug,
            "summary": self.summary.strip(),
            # Compared as text: the admin's form sends CRLF and trims the final newline.
            "body": self.body_markdown.replace("\r\n", "\n").strip(),
            "featured": self.featured,
            "order": self.order,
            "reviewed_on": str(self.reviewed_on),
            "reviewer": self.reviewer.key if self.reviewer_id else None,
            "review_interval_months": self.review_interval_months,
        }
        if self.translation_of_id:  # only then: English guides keep the fingerprints they have
            fields["translation_of"] = self.translation_of_id
            fields["awaiting_translation_review"] = self.awaiting_translation_review
        return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


class Source(models.Model):
    """A public page a guide's facts come from: its title, publisher, address and when we read it."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200)
    url = models.URLField("address", max_length=500)
    read_on = models.DateField("read on", null=True, help_text="When we last read this source.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.title} ({self.publisher})"

    def as_tuple(self) -> tuple[str, str, str, str]:
        """What the loader compares: title, publisher, address and the date read, as text."""
        return (self.title, self.publisher, self.url, str(self.read_on) if self.read_on else "")


class SlugRedirect(models.Model):
    """An address a guide used to have; it answers with a permanent redirect."""

    old_slug = models.SlugField(max_length=100, unique=True)
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="old_slugs")

    def __str__(self):
        return f"/learn/{self.old_slug}/ → {self.guide.slug}"


class ShippedGuide(models.Model):
    """A starting guide file the loader has once created a guide from.

    If staff later delete that guide, the record stays, and the loader does not bring the
    guide back.
    """

    file_name = models.CharField(max_length=100, unique=True)
    first_loaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.file_name
