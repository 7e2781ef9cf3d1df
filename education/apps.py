"""The education app: guides visitors read before asking for help."""

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class EducationConfig(AppConfig):
    """Guides, topics and the site's public pages."""

    name = "education"
    verbose_name = "Guides"

    def ready(self):
        # Imported here: signals.py imports the models, which exist only once apps are ready.
        from education import signals

        for model in signals.READER_CONTENT:
            for signal in (post_save, post_delete):
                signal.connect(
                    signals.reader_content_changed,
                    sender=model,
                    dispatch_uid=f"page-cache-{model.__name__}",
                )
