"""988 and SAMHSA show how to text them, their TTY and their Spanish options where there is room."""

import pytest
from django.utils import translation

from recovery_site.context_processors import crisis_lines
from tests.factories import GuideFactory

pytestmark = pytest.mark.django_db

SPANISH_988 = '<span lang="es">En español: llame y oprima 2, o envíe AYUDA al 988</span>'


def test_988_offers_call_text_and_spanish_in_one_short_sentence():
    assert crisis_lines()["lifeline"]["ways"] == (
        'Call <a href="tel:988">988</a> or text <a href="sms:988">988</a>. ' + SPANISH_988 + "."
    )


def test_samhsa_offers_its_tty_and_spanish_and_911_stays_a_bare_number():
    lines = crisis_lines()

    assert lines["helpline"]["ways"] == (
        'Call <a href="tel:+18006624357">1-800-662-4357</a> '
        '(TTY <a href="tel:+18004874889">1-800-487-4889</a>). '
        '<span lang="es">También en español</span>.'
    )
    assert "ways" not in lines["emergency"]


def test_the_emergency_box_on_a_guide_offers_a_text_button_and_spanish(client):
    GuideFactory(slug="naloxone", body_markdown="## Be ready\n\nKeep naloxone for an overdose.")

    html = client.get("/learn/naloxone/").content.decode()
    box = html.split('class="emergency"')[1].split("</aside>")[0]

    assert '<a class="call-button" href="tel:988">Call 988</a>' in box
    assert '<a class="call-button" href="sms:988">Text 988</a>' in box
    assert SPANISH_988 in box


def test_the_get_help_panel_names_988_and_samhsa_with_their_options(client, guides):
    html = client.get("/").content.decode()
    panel = html.split('aria-labelledby="get-help-heading"')[1].split("</section>")[0]

    assert 'href="sms:988"' in panel and SPANISH_988 in panel
    assert 'href="tel:+18004874889"' in panel and "También en español" in panel


def test_on_a_spanish_page_988_and_samhsa_say_their_spanish_options_in_spanish():
    with translation.override("es"):
        lines = crisis_lines()

    assert lines["lifeline"]["ways"] == (
        'Llame al <a href="tel:988">988</a> o envíe un mensaje de texto al '
        '<a href="sms:988">988</a>. Para español, oprima 2 al llamar, o envíe AYUDA al 988.'
    )
    assert lines["helpline"]["ways"] == (
        'Llame al <a href="tel:+18006624357">1-800-662-4357</a> '
        '(TTY <a href="tel:+18004874889">1-800-487-4889</a>). '
        "Es gratis y confidencial, con opción en español."
    )
    assert 'lang="es"' not in lines["lifeline"]["ways"] + lines["helpline"]["ways"]


def test_the_spanish_crisis_bar_and_help_panel_give_911_988_and_samhsa_in_spanish(client):
    html = client.get("/es/").content.decode()
    bar = html.split('class="crisis"')[1].split("</aside>")[0]
    panel = html.split('aria-labelledby="get-help-heading"')[1].split("</section>")[0]

    assert '>Salir<span class="visually-hidden"> rápido de este sitio</span></a>' in bar
    assert '<span class="crisis__more">Llame al </span>911</a>' in bar
    assert '<span class="crisis__more">Llame o escriba al </span>988</a>' in bar
    assert 'Sobredosis<span class="crisis__more">: qué hacer</span>' in bar
    assert "oprima 2" in panel and "AYUDA al 988" in panel
    assert "1-800-662-4357" in panel and "con opción en español" in panel
    assert "Call" not in bar + panel
