"""Template context shared by every page."""

from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html

from education.models import overdose_guide_url
from intake.hours import open_until


def clinic(request):
    """The clinic's own details, the crisis lines, the quick-exit target and whether the
    clinic is open now, for every page.

    Reads nothing from the request, so the error pages (rendered without one) use it too.
    """
    return {
        "clinic": settings.CLINIC,
        "crisis_lines": crisis_lines(),
        "quick_exit_url": settings.QUICK_EXIT_URL,
        "clinic_hours_now": hours_now(),
        "overdose_guide_url": overdose_guide_url(),
    }


def crisis_lines() -> dict[str, dict]:
    """settings.CRISIS_LINES, each with its `link`: most pages show a line as its number
    in a tel: link, so that markup is written here once ({{ crisis_lines.lifeline.link }})."""
    return {
        name: {
            **line,
            "link": format_html('<a href="tel:{}">{}</a>', line["tel"], line["number"]),
            **crisis_line_ways(line),
        }
        for name, line in settings.CRISIS_LINES.items()
    }


def crisis_line_ways(line: dict) -> dict:
    """A line's other ways in, where it has them: `text_link` (sms:), `tty_link`, `spanish`
    (the setting's text, now marked lang="es" so a screen reader speaks it in Spanish) and
    `ways`, all of them in one short sentence for the places with room: "Call 988 or text
    988. En español: …"."""
    ways = {}
    sentence = format_html('Call <a href="tel:{}">{}</a>', line["tel"], line["number"])
    if "sms" in line:
        ways["text_link"] = format_html('<a href="sms:{}">{}</a>', line["sms"], line["sms"])
        sentence = format_html("{} or text {}", sentence, ways["text_link"])
    if "tty" in line:
        ways["tty_link"] = format_html('<a href="tel:{}">{}</a>', line["tty_tel"], line["tty"])
        sentence = format_html("{} (TTY {})", sentence, ways["tty_link"])
    sentence = format_html("{}.", sentence)
    if "spanish" in line:
        ways["spanish"] = format_html('<span lang="es">{}</span>', line["spanish"])
        sentence = format_html("{} {}.", sentence, ways["spanish"])
    if ways:
        ways["ways"] = sentence
    return ways


def hours_now() -> dict:
    """Whether the clinic's phone is answered now and, if so, until when (the header's
    "Open now until 8 p.m." or "Closed now"), in the clinic's time zone. Kept pages are
    kept apart by this too (education/page_cache.py), so the header is never stale."""
    closes = open_until(timezone.now())
    return {"open": closes is not None, "closes": closes}
