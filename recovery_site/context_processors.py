"""Template context shared by every page."""

from django.conf import settings


def clinic(request):
    """The clinic's own details and the quick-exit target for the header and footer."""
    return {"clinic": settings.CLINIC, "quick_exit_url": settings.QUICK_EXIT_URL}
