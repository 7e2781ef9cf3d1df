"""Content staff edit topics and guides here; the Markdown body is rendered on save."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from education.models import Article, SlugRedirect, Source, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    """Topics group the guides in the library."""

    list_display = ("title", "slug", "order")
    list_editable = ("order",)
    prepopulated_fields = {"slug": ("title",)}


class SourceInline(admin.TabularInline):
    model = Source
    extra = 1
    fields = ("title", "publisher", "order")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Guides: write Markdown, preview the sanitised result after saving."""

    list_display = ("title", "topic", "status", "featured", "reviewed_on", "updated_at")
    list_filter = ("status", "featured", "topic")
    list_select_related = ("topic",)
    search_fields = ("title", "summary")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("related",)
    inlines = (SourceInline,)
    readonly_fields = ("reading_minutes", "rendered_preview", "updated_at")
    fieldsets = (
        (None, {"fields": ("title", "slug", "topic", "order", "status", "featured")}),
        ("Content", {"fields": ("summary", "body_markdown")}),
        ("Review", {"fields": ("reviewed_on", "reviewed_by", "related")}),
        ("As visitors see it", {"fields": ("reading_minutes", "rendered_preview", "updated_at")}),
    )

    @admin.display(description="Rendered body")
    def rendered_preview(self, article):
        # body_html was sanitised with nh3 when the guide was saved.
        if not article.pk:
            return "-"
        return format_html('<div class="guide-preview">{}</div>', mark_safe(article.body_html))

    def view_on_site(self, article):
        return article.get_absolute_url()


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    """Old guide addresses kept so shared links still work."""

    list_display = ("old_slug", "article")
    list_select_related = ("article",)
    search_fields = ("old_slug", "article__title")
