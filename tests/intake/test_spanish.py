"""A Spanish-speaking visitor fills in the forms at /es/…: every word in Spanish, the
request stored with its language, and the thank-you page in Spanish too.

These read the Spanish catalogue (locale/es), which holds the translations of /tmp/i18n's
intake words once compiled."""

import re

import pytest
from django.utils import translation

from intake.models import HelpRequest
from intake.throttle import Decision
from tests.helpers import form_fields_as_shown, form_token

pytestmark = pytest.mark.django_db


def checked(html: str, name: str, value: str) -> bool:
    """Whether the radio button or box `name` = `value` is ticked on the page."""
    for tag in re.findall(r"<input\b[^>]*>", html):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return re.search(r"\bchecked\b", tag) is not None
    raise AssertionError(f"no {name}={value} on the page")


def test_a_spanish_consultation_is_stored_as_spanish_and_thanked_in_spanish(
    client, consultation_data
):
    response = client.post("/es/consultation/", consultation_data, follow=True)

    assert response.redirect_chain == [("/es/consultation/thanks/", 302)]
    help_request = HelpRequest.objects.get()
    assert help_request.language == HelpRequest.Language.SPANISH
    html = response.content.decode()
    assert '<html lang="es"' in html
    assert "<h1>Solicitud enviada</h1>" in html
    assert "Su número de referencia" in html and help_request.reference in html
    assert "Le llamaremos antes de las" in html  # they chose a call
    assert "Qué pasa ahora" in html
    assert "Request sent" not in html and "What happens next" not in html


def test_a_spanish_message_is_stored_as_spanish(client, contact_data):
    response = client.post("/es/contact/", contact_data, follow=True)

    assert response.redirect_chain == [("/es/contact/thanks/", 302)]
    assert HelpRequest.objects.get().language == HelpRequest.Language.SPANISH
    assert "Le escribiremos un correo antes de las" in response.content.decode()


def test_the_language_comes_from_the_address_not_from_anything_posted(client, contact_data):
    client.post("/contact/", {**contact_data, "language": "es"})
    client.post("/es/consultation/", {**contact_data, "language": "en", "contact_window":
                "evening", "voicemail_ok": "no", "form_token": form_token()})  # fmt: skip

    languages = dict(HelpRequest.objects.values_list("kind", "language"))
    assert languages == {"message": "en", "consultation": "es"}


def test_the_spanish_consultation_form_is_in_spanish(client):
    html = client.get("/es/consultation/").content.decode()

    assert '<html lang="es"' in html
    for words in (
        "Pida una consulta gratis y confidencial",  # the title and heading
        "Su nombre", "¿Cómo prefiere que nos comuniquemos con usted?",
        "En la noche (de 5 p.m. a 8 p.m.)", "Alguien que me importa", "Heroína",
        "Medicamentos para el trastorno por consumo de opioides (MOUD)",
        "Elija un estado", "Carolina del Norte",  # localflavor's own Spanish names
        "¿Cómo supo de nosotros? (opcional)", "Cuéntenos más (opcional)",
        "aviso de privacidad", "Pedir mi consulta gratis",
    ):  # fmt: skip
        assert words in html, words
    for english in ("Your name", "Who needs help?", "Request my free consultation", "Heroin<"):
        assert english not in html, english
    # The character count's words travel to the script in the message box's attributes.
    assert 'data-count-left="Le quedan {count} caracteres"' in html
    assert 'action="/es/consultation/"' in html


def test_the_spanish_message_form_is_in_spanish(client):
    html = client.get("/es/contact/").content.decode()

    for words in ("<h1>Envíenos un mensaje</h1>", "Su mensaje", "Hasta 2,000 caracteres.",
                  "Enviar mensaje", 'data-count-over-one="Tiene 1 carácter de más"'):  # fmt: skip
        assert words in html, words
    assert "Send message" not in html


def test_spanish_mistakes_are_said_in_spanish_and_every_valid_answer_is_kept(
    client, consultation_data
):
    consultation_data.update(
        name="  ", email="sam@", program="detox", state="NC",
        message="Mi hermano necesita ayuda, ¿qué hacemos?",
    )  # fmt: skip

    sent = client.post("/es/consultation/", consultation_data)
    assert sent.status_code == 303 and sent["Location"] == "/es/consultation/?check=1"
    response = client.get(sent["Location"])

    html = response.content.decode()
    assert "<title>Error: Pida una consulta gratis y confidencial" in html
    assert "Revise estas respuestas" in html and "Todo lo que escribió sigue aquí." in html
    assert "Díganos su nombre (basta con su nombre de pila)." in html
    assert "Revise el correo electrónico: debe verse así: nombre@ejemplo.com." in html
    assert "Please tell us your name" not in html and "Please check" not in html
    shown = form_fields_as_shown(html)
    assert shown["phone"] == "(202) 555-0143" and shown["email"] == "sam@"
    assert "Mi hermano necesita ayuda, ¿qué hacemos?</textarea>" in html
    assert checked(html, "contact_window", "evening") and checked(html, "voicemail_ok", "no")
    assert checked(html, "substances", "heroin") and checked(html, "substances", "fentanyl")
    assert checked(html, "program", "detox") and checked(html, "insurance", "medicaid_medicare")
    assert re.search(r'<option value="NC"[^>]*selected', html)
    assert not HelpRequest.objects.exists()


@pytest.mark.parametrize(
    ("change", "spanish"),
    [
        ({"phone": "12"}, "Escriba un número de teléfono al que podamos llamar"),
        ({"phone": "", "email": "", "preferred_contact": ""},
         "Escriba un número de teléfono, un correo electrónico o los dos"),
        ({"preferred_contact": "text"}, "Marque esta casilla si quiere que le enviemos"),
        ({"contact_window": ""}, "Elija un horario en el que sea seguro comunicarnos"),
        ({"voicemail_ok": ""}, "Díganos si podemos dejarle un mensaje de voz."),
        ({"message": "x" * 1001}, "Acorte su mensaje a 1,000 caracteres o menos (ahora tiene 1001)"),
        ({"name": "123"}, "Escriba su nombre con letras"),
        ({"name": "Sam\u202e"}, "Quite los caracteres invisibles de este campo"),
        ({"program": "spa"}, "Elija una de las respuestas que aparecen."),
    ],
)  # fmt: skip
def test_each_mistake_on_the_spanish_form_is_explained_in_spanish(
    client, consultation_data, change, spanish
):
    consultation_data.update(change)

    html = client.post("/es/consultation/", consultation_data, follow=True).content.decode()

    assert spanish in html
    assert "Revise esta respuesta" in html


def test_a_rushed_spanish_send_asks_to_confirm_in_spanish(client, contact_data):
    contact_data["form_token"] = form_token(seconds_ago=0)

    html = client.post("/es/contact/", contact_data, follow=True).content.decode()

    assert "Falta un paso: oprima «Enviar ahora»" in html
    assert "Su mensaje todavía no se envió." in html
    assert ">Enviar ahora</button>" in html
    assert not HelpRequest.objects.exists()
    confirmed = client.post("/es/contact/", form_fields_as_shown(html) | {"message":
                            contact_data["message"]}, follow=True)  # fmt: skip
    assert confirmed.redirect_chain[-1] == ("/es/contact/thanks/", 302)
    assert HelpRequest.objects.get().language == "es"


def test_a_second_spanish_send_says_it_was_already_sent_in_spanish(client, contact_data):
    client.post("/es/contact/", contact_data)
    reference = HelpRequest.objects.get().reference
    again = {**contact_data, "message": "Otra pregunta", "form_token": form_token()}

    html = client.post("/es/contact/", again, follow=True).content.decode()

    assert "Ya nos envió un mensaje" in html and reference in html
    assert "Para enviar también esta, oprima <strong>Enviar ahora</strong>." in html


def test_a_spanish_crisis_message_is_urgent_and_the_thank_you_page_says_what_to_do_now(
    client, consultation_data
):
    consultation_data["message"] = "Mi hijo tomó algo y no despierta, se puso morado"

    html = client.post("/es/consultation/", consultation_data, follow=True).content.decode()

    assert HelpRequest.objects.get().urgent
    assert "Si usted u otra persona está en peligro ahora" in html
    assert "dele naloxona (Narcan)" in html and "oprima 2" in html


def test_the_wait_after_the_submission_limit_is_said_in_spanish():
    with translation.override("es"):
        words = [Decision(False, seconds).wait_in_words for seconds in (30, 600, 3600, 7200)]

    assert words == ["en más o menos un minuto", "en unos 10 minutos",
                     "en más o menos una hora", "en unas 2 horas"]  # fmt: skip
