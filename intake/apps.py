"""The intake app: requests for help sent through the site's forms."""

from django.apps import AppConfig


class IntakeConfig(AppConfig):
    """Messages and consultation requests, triaged by staff."""

    name = "intake"
    verbose_name = "Requests for help"
