"""Template context shared by every page."""

from django.conf import settings
from django.utils.html import format_html


def clinic(request):
    """The clinic's own details, the crisis lines and the quick-exit target, for every page.

    Reads nothing from the request, so the error pages (rendered without one) use it too.
    """
    return {
        "clinic": settings.CLINIC,
        "crisis_lines": crisis_lines(),
        "quick_exit_url": settings.QUICK_EXIT_URL,
    }


def crisis_lines() -> dict[str, dict]:
    """settings.CRISIS_LINES, each with its `link`: most pages show a line as its number
    in a tel: link, so that markup is written here once ({{ crisis_lines.lifeline.link }})."""
    return {
        name: {**line, "link": format_html('<a href="tel:{}">{}</a>', line["tel"], line["number"])}
        for name, line in settings.CRISIS_LINES.items()
    }
