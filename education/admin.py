"""Content staff edit topics and guides here; the Markdown body is rendered on save.

A guide's change form saves drafts and publishes them (admin_drafts.py), previews them
(admin_preview.py) and keeps their history and schedule (admin_history.py).
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from education import plain_language
from education.admin_drafts import DraftsMixin, shown_content, who
from education.admin_history import HistoryMixin
from education.admin_preview import PreviewMixin
from education.admin_translations import (
    LanguageFilter,
    TranslationReviewFilter,
    TranslationsMixin,
    translated_form,
)
from education.models import Guide, Reviewer, SearchSynonym, SlugRedirect, Source, Topic
from education.querysets import REVIEW_DUE_SOON_DAYS
from education.selectors import REVIEW_FILTER
from education.services.publishing import needs_approval


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    """Topics group the guides in the library."""

    form = translated_form(Topic)  # "Title (Español)" … kept in Topic.translations
    list_display = ("title", "slug", "order")
    list_editable = ("order",)
    prepopulated_fields = {"slug": ("title",)}


@admin.register(Reviewer)
class ReviewerAdmin(admin.ModelAdmin):
    """Clinicians who review guides. Administrators keep this list; editors choose from it."""

    form = translated_form(Reviewer)
    list_display = (
        "name", "credentials", "specialty", "active", "placeholder", "on_about_page",
        "about_order", "guide_count",
    )  # fmt: skip
    # The About page's team is ordered and chosen right in the list.
    list_editable = ("on_about_page", "about_order")
    list_filter = ("active", "placeholder", "on_about_page")
    search_fields = ("name", "specialty")
    prepopulated_fields = {"key": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(guide_count=Count("guides"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            # The clinician's own staff account, with which they approve changes to guides.
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="Guides", ordering="guide_count")
    def guide_count(self, reviewer):
        return reviewer.guide_count


class SourceInline(admin.TabularInline):
    model = Source
    extra = 1
    fields = ("title", "publisher", "url", "read_on", "order")
    # Narrow inputs keep every column, and its error, on screen beside the admin's menu.
    formfield_overrides = {
        models.CharField: {"widget": forms.TextInput(attrs={"size": 24})},
        models.URLField: {"widget": forms.URLInput(attrs={"size": 24})},
    }

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and not field.widget.is_hidden:
            # A table's column heading is not a label: screen readers name each box this way.
            field.widget.attrs.setdefault("aria-label", field.label)
        return field

    def get_extra(self, request, obj=None, **kwargs):
        # The shown content's sources are new rows (admin_drafts.py), and one blank row more.
        return len(shown_content(obj)["sources"]) + 1 if obj and obj.pk else 1


class ReviewStateFilter(admin.SimpleListFilter):
    """Guides whose medical review is due soon, overdue, or names a placeholder reviewer."""

    title = "medical review"
    parameter_name = REVIEW_FILTER

    def lookups(self, request, model_admin):
        return [
            ("due", f"Due within {REVIEW_DUE_SOON_DAYS} days or overdue"),
            ("overdue", "Overdue"),
            ("placeholder", "Placeholder reviewer"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "due":
            return queryset.review_due(today=today)
        if self.value() == "overdue":
            return queryset.review_overdue(today=today)
        if self.value() == "placeholder":
            return queryset.filter(reviewer__placeholder=True)
        return queryset


class UnpublishedChangesFilter(admin.SimpleListFilter):
    """Guides with a draft waiting to be published."""

    title = "unpublished changes"
    parameter_name = "unpublished"

    def lookups(self, request, model_admin):
        choices = [("yes", "Has unpublished changes"), ("no", "No unpublished changes")]
        if settings.GUIDE_TWO_PERSON_RULE:
            choices.append(("approval", "Waiting for a clinical reviewer's approval"))
        return choices

    def queryset(self, request, queryset):
        if self.value() == "approval":
            return queryset.filter(draft__medical_change=True, draft__approved_at__isnull=True)
        if self.value() in ("yes", "no"):
            return queryset.filter(draft__isnull=self.value() == "no")
        return queryset


@admin.register(Guide)
class GuideAdmin(TranslationsMixin, DraftsMixin, PreviewMixin, HistoryMixin, admin.ModelAdmin):
    """Guides: write Markdown, save drafts, preview, publish; translations are guides too."""

    # No topic column: it has a filter, and the review dates must fit beside the admin menu.
    list_display = (
        "title", "language_and_translations", "status", "unpublished_changes", "scheduled",
        "reviewer_name", "next_review",
    )  # fmt: skip
    list_filter = (
        UnpublishedChangesFilter, ReviewStateFilter, TranslationReviewFilter, LanguageFilter,
        "status", "featured", "topic", "reviewer",
    )  # fmt: skip
    list_select_related = ("topic", "reviewer", "draft__author")
    search_fields = ("title", "summary", "reviewer__name")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("related",)
    inlines = (SourceInline,)
    readonly_fields = (
        "next_review_on", "plain_language", "reading_minutes", "rendered_preview", "updated_at"
    )  # fmt: skip
    fieldsets = (
        # No status: the Publish and Unpublish buttons change it (admin_drafts.py).
        (None, {"fields": ("title", "slug", "topic", "order", "featured")}),
        ("Content", {"fields": ("summary", "body_markdown", "plain_language")}),
        (
            "Medical review",
            {
                "fields": ("reviewer", "reviewed_on", "review_interval_months", "next_review_on"),
                "description": "Set the date and reviewer each time a clinician checks the "
                "guide; the next review falls due after the interval.",
            },
        ),
        ("Related guides", {"fields": ("related",)}),
        ("As visitors see it", {"fields": ("reading_minutes", "rendered_preview", "updated_at")}),
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "reviewer":
            # Retired reviewers stay on the guides they checked but cannot be chosen again.
            choosable = Q(active=True)
            if current := request.resolver_match.kwargs.get("object_id"):
                choosable |= Q(guides__pk=current)
            kwargs["queryset"] = Reviewer.objects.filter(choosable).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="Reviewer", ordering="reviewer__name")
    def reviewer_name(self, guide):
        if guide.reviewer.placeholder:
            return format_html("{} <em>(placeholder)</em>", guide.reviewer.name)
        return guide.reviewer.name

    @admin.display(description="Unpublished changes", ordering="draft__created_at")
    def unpublished_changes(self, guide):
        if guide.draft is None:
            return "-"
        if needs_approval(guide):
            return "Waiting for approval"
        saved = date_format(timezone.localtime(guide.draft.created_at), "j M")
        return f"Draft saved {saved} by {who(guide.draft.author)}"

    @admin.display(description="Set time", ordering="publish_at")
    def scheduled(self, guide):
        times = [(label, at) for label, at in (
            ("Publishes", guide.publish_at), ("Unpublishes", guide.unpublish_at)) if at]  # fmt: skip
        if not times:
            return "-"
        return format_html_join(
            mark_safe("<br>"), "{} {}",
            ((label, date_format(timezone.localtime(at), "D j M H:i")) for label, at in times),
        )  # fmt: skip

    @admin.display(description="Next review due", ordering="next_review_on")
    def next_review(self, guide):
        if guide.next_review_on is None:
            return "-"
        day = date_format(guide.next_review_on)
        if guide.next_review_on < timezone.localdate():
            return format_html('<strong class="review-overdue">Overdue: {}</strong>', day)
        return day

    @admin.display(description="Plain language")
    def plain_language(self, guide):
        if not guide.pk:
            return "Shown after saving."
        report = plain_language.check_markdown(guide.body_markdown)
        lines = [f"Reading grade {report.grade} (aim for {plain_language.MAX_GRADE:g} or below)."]
        lines += [f"Long sentence ({len(s.split())} words): {s}" for s in report.long_sentences]
        lines += [f"“{word}”: say {instead}" for word, instead in report.flagged_words]
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))

    @admin.display(description="Rendered body")
    def rendered_preview(self, guide):
        # body_html was sanitised with nh3 when the guide (or the draft shown) was rendered.
        if not guide.pk:
            return "-"
        return format_html('<div class="guide-preview">{}</div>', mark_safe(guide.body_html))

    # view_on_site: PreviewMixin's (an unpublished guide's "View on site" is its preview).


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    """Old guide addresses kept so shared links still work."""

    list_display = ("old_slug", "guide")
    list_select_related = ("guide",)
    search_fields = ("old_slug", "guide__title")


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    """Words visitors type that the guides do not use; search looks for the guides' words too."""

    list_display = ("term", "means")
    search_fields = ("term", "means")
