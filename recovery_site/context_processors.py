"""Template context shared by every page."""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from education.models import overdose_guide_url
from intake.hours import open_until


def clinic(request):
    """The clinic's own details, the crisis lines, the quick-exit target and whether the
    clinic is open now, for every page.

    Reads nothing from the request, so the error pages (rendered without one) use it too.
    """
    return {
        "clinic": clinic_in_language(),
        "crisis_lines": crisis_lines(),
        "quick_exit_url": settings.QUICK_EXIT_URL,
        "clinic_hours_now": hours_now(),
        "overdose_guide_url": overdose_guide_url(),
    }


def clinic_in_language() -> dict:
    """settings.CLINIC with its words (hours, reply promise, sample licences) in the page's
    language: the clinic's own Spanish where it set one (CLINIC_HOURS_ES, …), else the
    catalogue's translation, which knows the defaults."""
    clinic = settings.CLINIC
    language = translation.get_language()

    def words(key: str) -> str:
        own = clinic.get(f"{key}_{language}") if language != settings.LANGUAGE_CODE else ""
        return own or gettext(clinic[key])

    return {
        **clinic,
        "hours": words("hours"),
        "response_promise": words("response_promise"),
        "licences": [gettext(licence) for licence in clinic["licences"]],
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
    and `ways`, all of them in one short sentence for the places with room: "Call 988 or
    text 988. En español: …".

    `spanish` is the setting's Spanish hint marked lang="es" (so a screen reader speaks it
    in Spanish) on the English pages; a Spanish page says the option in its own words.
    """
    ways = {}
    call = format_html('<a href="tel:{}">{}</a>', line["tel"], line["number"])
    if "sms" in line:
        ways["text_link"] = format_html('<a href="sms:{}">{}</a>', line["sms"], line["sms"])
    if "tty" in line:
        ways["tty_link"] = format_html('<a href="tel:{}">{}</a>', line["tty_tel"], line["tty"])
    # One whole sentence per shape, so a translator can order its words freely.
    if "sms" in line:
        sentence = gettext("Call %(call)s or text %(text)s.")
    elif "tty" in line:
        sentence = gettext("Call %(call)s (TTY %(tty)s).")
    else:
        sentence = gettext("Call %(call)s.")
    links = {"call": call, "text": ways.get("text_link"), "tty": ways.get("tty_link")}
    sentence = mark_safe(escape(sentence) % links)  # the links are built escaped above
    if "spanish" in line:
        if translation.get_language() == "es":
            ways["spanish"] = gettext(line["spanish_option"])
        else:
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
