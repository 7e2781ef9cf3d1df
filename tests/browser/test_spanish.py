"""María's journey in Spanish on a phone: from the English home page to Spanish, the
overdose guide from the crisis bar, a misspelt search, and a consultation request sent with
a mistake first; every page in Spanish, accessible, nothing lost, stored as Spanish."""

import re

import pytest
from playwright.sync_api import expect

from intake.models import HelpRequest
from tests.browser.helpers import SMALL_PHONE, assert_accessible, on_every_screen
from tests.browser.test_forms import take_time_to_read
from tests.helpers import CONSULTATION_REFERENCE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page, viewport):
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_a_spanish_speaker_reads_searches_and_asks_for_help_on_a_phone(
    page, live_server, guides, watch
):
    page.set_viewport_size(SMALL_PHONE)
    page.goto(live_server.url + "/")

    page.get_by_role("link", name="Español").click()
    page.wait_for_url(live_server.url + "/es/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert_accessible(page)

    page.locator(".crisis__link").click()  # "Sobredosis" in the crisis bar
    page.wait_for_url(live_server.url + "/es/learn/sobredosis-que-hacer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sobredosis: qué hacer ahora")
    expect(page.get_by_role("link", name="Llame al 911 ahora")).to_be_visible()
    expect(
        page.get_by_role("link", name="Traducción pendiente de revisión clínica")
    ).to_be_visible()
    assert_accessible(page)

    page.goto(live_server.url + "/es/learn/search/?q=sobredossis")
    expect(page.get_by_text("Mostramos resultados para")).to_be_visible()
    first = page.locator("main ol li a").first
    expect(first).to_have_text("Sobredosis: qué hacer ahora")
    assert_accessible(page)

    page.goto(live_server.url + "/es/consultation/")
    expect(page).to_have_title(re.compile("consulta", re.IGNORECASE))
    page.locator("#id_name").fill("María López")
    page.locator("#id_phone").fill("12")
    page.get_by_label("Llamada telefónica").check()
    page.locator("#id_voicemail_ok_1").check()
    page.get_by_label("Yo", exact=True).check()
    page.get_by_label("Heroína").check()
    page.get_by_label("No tengo seguro").check()
    page.get_by_role("button", name="Pedir mi consulta gratis").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text(re.compile("^Revise esta"))
    expect(page.locator("#id_name")).to_have_value("María López")
    expect(page.get_by_label("Heroína")).to_be_checked()
    assert_accessible(page)
    fits(page, SMALL_PHONE)
    assert HelpRequest.objects.count() == 0

    page.locator("#id_phone").fill("(207) 555-0188")
    page.locator("#id_contact_window_0").check()
    take_time_to_read(page)
    page.get_by_role("button", name="Pedir mi consulta gratis").click()

    page.wait_for_url(live_server.url + "/es/consultation/thanks/")
    stored = HelpRequest.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text("Solicitud enviada")
    expect(page.locator(".reference strong")).to_have_text(stored.reference)
    assert CONSULTATION_REFERENCE.fullmatch(stored.reference)
    assert stored.language == HelpRequest.Language.SPANISH
    assert (stored.name, stored.phone) == ("María López", "+12075550188")
    assert_accessible(page)
    assert watch.foreign_requests == []
    assert watch.console_errors == []


def test_the_switch_leads_from_a_spanish_guide_to_the_same_guide_in_english(
    page, live_server, guides
):
    page.goto(live_server.url + "/es/learn/abstinencia-de-heroina/")

    page.get_by_role("link", name="English").click()

    page.wait_for_url(live_server.url + "/learn/heroin-withdrawal/")
    expect(page.locator("html")).to_have_attribute("lang", "en")


@on_every_screen
@pytest.mark.parametrize(
    "path",
    ["/es/learn/", "/es/learn/signs-of-heroin-use/", "/es/contact/", "/es/about/"],
)
def test_spanish_pages_are_accessible_and_fit_every_screen(
    page, live_server, guides, viewport, path
):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + path)

    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert_accessible(page)
    fits(page, viewport)


def test_the_spanish_consultation_is_sent_without_javascript(browser, live_server, guides):
    context = browser.new_context(java_script_enabled=False, viewport=SMALL_PHONE)
    page = context.new_page()
    page.goto(live_server.url + "/es/consultation/")
    page.locator("#id_name").fill("María López")
    page.locator("#id_phone").fill("(207) 555-0188")
    page.get_by_label("Llamada telefónica").check()
    page.locator("#id_contact_window_0").check()
    page.locator("#id_voicemail_ok_1").check()
    page.get_by_label("Yo", exact=True).check()
    page.get_by_label("Heroína").check()
    page.get_by_label("No tengo seguro").check()
    take_time_to_read(page)
    page.get_by_role("button", name="Pedir mi consulta gratis").click()

    page.wait_for_url(re.compile(r"/es/consultation/(thanks/)?$"))
    if "thanks" not in page.url:  # without JavaScript the confirm step is a page of its own
        page.get_by_role("button").filter(has_text=re.compile("Enviar|Pedir")).first.click()
        page.wait_for_url(live_server.url + "/es/consultation/thanks/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Solicitud enviada")
    assert HelpRequest.objects.get().language == HelpRequest.Language.SPANISH
    context.close()
