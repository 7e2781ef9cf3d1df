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

        receivers = {
            signals.reader_content_changed: signals.READER_CONTENT,
            signals.search_vocabulary_changed: signals.SEARCH_VOCABULARY,
        }
        for receiver, models in receivers.items():
            for model in models:
                for signal in (post_save, post_delete):
                    signal.connect(
                        receiver, sender=model, dispatch_uid=f"{receiver.__name__}-{model.__name__}"
                    )
