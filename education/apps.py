"""The education app: guides visitors read before asking for help."""

from django.apps import AppConfig


class EducationConfig(AppConfig):
    """Guides, topics and the site's public pages."""

    name = "education"
    verbose_name = "Guides"
