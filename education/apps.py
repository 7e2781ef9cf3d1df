"""The education app: guides visitors read before asking for help."""

from django.apps import AppConfig


class EducationConfig(AppConfig):
    """Guides, topics and the site's public pages."""

    name = "education"
    verbose_name = "Guides"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from education.models import Article, SlugRedirect, Source, Topic
        from education.page_cache import bump_content_version

        # Any change to what readers see makes every process re-render its pages.
        for model in (Article, Topic, Source, SlugRedirect):
            post_save.connect(bump_content_version, sender=model, dispatch_uid=f"pc-{model}")
            post_delete.connect(bump_content_version, sender=model, dispatch_uid=f"pd-{model}")
