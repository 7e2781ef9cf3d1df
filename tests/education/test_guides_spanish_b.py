"""The Spanish helping, paying and contact guides say what the English ones say, in order.

A translation that drops a step, swaps two overdose steps or calls treatment free could harm
a reader, so these checks read the files themselves, beside their English originals.
"""

import re

import pytest

from education import plain_language
from education.services import CONTENT_DIR
from education.services.loading import parse_guide

GUIDES = CONTENT_DIR / "guides"
# The Spanish slug of each guide this file covers, and its English original.
TRANSLATIONS = {
    "como-ayudar-a-un-ser-querido": "helping-a-loved-one",
    "como-pagar-el-tratamiento-y-confidencialidad": "paying-for-care-and-confidentiality",
    "que-pasa-cuando-nos-contacta": "what-happens-when-you-contact-us",
}
# Every Spanish starting guide, writer A's included: links to their originals go to them.
SPANISH_STARTING_GUIDES = {
    **TRANSLATIONS,
    "sobredosis-que-hacer": "overdose-what-to-do",
    "abstinencia-de-heroina": "heroin-withdrawal",
    "opciones-de-tratamiento": "treatment-options",
}
# An overdose step, as the English and the Spanish guides word it.
OVERDOSE_STEPS = {
    "call": (r"call \[?911", r"llame al \[?911"),
    "naloxone": (r"naloxone", r"naloxona"),
    "breathing": (r"rescue breaths", r"respiración de rescate"),
    "side": (r"on(to)? their side", r"de lado"),
    "second dose": (r"another dose", r"otra dosis"),
    "stay": (r"stay with them", r"quédese con ella"),
}
# Where each guide lists the overdose steps: the English heading, the Spanish heading.
OVERDOSE_SECTIONS = {
    "como-ayudar-a-un-ser-querido": ("Be ready for an overdose", "Prepárese para una sobredosis"),
    "que-pasa-cuando-nos-contacta": (
        "If someone may be overdosing",
        "Si cree que una persona tiene una sobredosis",
    ),
}


def spanish(slug: str) -> tuple[dict, str]:
    return parse_guide(GUIDES / "es" / f"{slug}.md")


def english(slug: str) -> tuple[dict, str]:
    return parse_guide(GUIDES / f"{TRANSLATIONS[slug]}.md")


def whole(meta: dict, body: str) -> str:
    return " ".join([meta["title"], meta["summary"], body])


def section(text: str, heading: str) -> str:
    """The text under a `##` heading, up to the next one."""
    start = text.index(f"## {heading}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def step_order(text: str, language: int) -> list[str]:
    """The overdose steps in the order the guide's list gives them (one step a list line)."""
    lines = re.findall(r"^(?:\d+\.|-) .*$", text, re.MULTILINE)
    order = []
    for line in lines:
        for step, patterns in OVERDOSE_STEPS.items():
            if step not in order and re.search(patterns[language], line, re.IGNORECASE):
                order.append(step)
    return order


@pytest.mark.parametrize("slug", TRANSLATIONS)
def test_a_translation_names_its_original_and_waits_for_a_clinical_review(slug):
    meta, _ = spanish(slug)
    original, _ = english(slug)

    assert meta["slug"] == slug
    assert meta["translation_of"] == original["slug"]
    assert meta["awaiting_review"] is True
    assert meta["reviewer"] == original["reviewer"]
    assert meta["sources"] == original["sources"]
    assert len(meta["summary"]) <= 300
    assert not {"topic", "featured", "order", "related", "reviewed_on"} & meta.keys()


@pytest.mark.parametrize("slug", TRANSLATIONS)
def test_a_translation_keeps_the_sections_and_phone_numbers_of_the_original(slug):
    _, body = spanish(slug)
    _, original = english(slug)

    for level in ("## ", "### "):
        count = len(re.findall(rf"^{level}", body, re.MULTILINE))
        assert count == len(re.findall(rf"^{level}", original, re.MULTILINE)), level
    phones = r"\(tel:([^)]+)\)"
    assert set(re.findall(phones, body)) == set(re.findall(phones, original))


@pytest.mark.parametrize("slug", TRANSLATIONS)
def test_links_stay_on_the_spanish_site_and_lead_to_guides_that_exist(slug):
    _, body = spanish(slug)

    assert not re.search(r"\]\(/(learn|contact|consultation)/", body), "an English address"
    for linked in re.findall(r"\]\(/es/learn/([a-z0-9-]+)/", body):
        assert linked in SPANISH_STARTING_GUIDES or (GUIDES / f"{linked}.md").exists(), linked
        # An English guide that has a Spanish version is linked in Spanish.
        assert linked not in SPANISH_STARTING_GUIDES.values(), linked
    for form in re.findall(r"\]\(/es/([a-z]+)/\)", body):
        assert form in {"contact", "consultation"}, form


@pytest.mark.parametrize("slug", OVERDOSE_SECTIONS)
def test_overdose_steps_come_in_the_order_of_the_english_guide(slug):
    heading_en, heading_es = OVERDOSE_SECTIONS[slug]
    steps = section(spanish(slug)[1], heading_es)

    assert step_order(steps, 1) == step_order(section(english(slug)[1], heading_en), 0)
    assert step_order(steps, 1)[:3] == ["call", "naloxone", "breathing"]
    assert set(step_order(steps, 1)) == set(OVERDOSE_STEPS)
    assert re.search(r"una vez que respire", steps, re.IGNORECASE)
    assert "2 a 3 minutos" in steps
    assert "30 a 90 minutos" in steps
    assert "abstinencia" in steps
    assert "sin receta" in steps


def test_the_helping_guide_numbers_the_steps_call_naloxone_breathing_side_dose_stay():
    steps = section(spanish("como-ayudar-a-un-ser-querido")[1], "Prepárese para una sobredosis")

    assert step_order(steps, 1) == list(OVERDOSE_STEPS)
    numbered = "\n".join(re.findall(r"^\d+\. .*$", steps, re.MULTILINE))
    assert step_order(numbered, 1) == list(OVERDOSE_STEPS)
    for fact in ("tolerancia", "fentanilo", "xilacina", "naltrexona", "protección legal"):
        assert fact in steps, fact


@pytest.mark.parametrize(
    ("slug", "facts"),
    [
        ("como-pagar-el-tratamiento-y-confidencialidad",
         ["medicaid", "medicare", "privados", "findtreatment.gov", "42 cfr part 2",
          "consentimiento", "parte b", "deducible", "paridad", "escala móvil", "hipaa", "2024"]),
        ("que-pasa-cuando-nos-contacta",
         ["nunca le pedimos", "día hábil", "911", "988", "otra persona", "seguro social",
          "estado migratorio", "mensaje de voz"]),
        ("como-ayudar-a-un-ser-querido",
         ["trastorno por consumo de opioides", "metadona", "buprenorfina", "naltrexona",
          "findtreatment.gov", "grupo de apoyo"]),
    ],
)  # fmt: skip
def test_each_spanish_guide_carries_what_a_visitor_in_trouble_needs(slug, facts):
    text = whole(*spanish(slug)).lower()

    for fact in facts:
        assert fact in text, fact


def test_the_contact_guide_gives_the_crisis_lines_their_spanish_options():
    text = section(spanish("que-pasa-cuando-nos-contacta")[1], "¿Es una emergencia?")

    assert "[911](tel:911)" in text
    assert re.search(r"llame o envíe un mensaje de texto al \[988\]", text)
    assert "oprima 2" in text and "AYUDA" in text
    assert re.search(r"1-800-662-4357.{0,80}opción en español", text)
    assert "24 horas" in text


@pytest.mark.parametrize("slug", TRANSLATIONS)
def test_no_spanish_guide_calls_treatment_itself_free(slug):
    text = " ".join(whole(*spanish(slug)).split()).lower()

    assert not re.search(r"tratamiento (es|será|sale) (gratis|gratuito)", text)
    assert not re.search(r"tratamiento (gratis|gratuito)", text)


@pytest.mark.parametrize("slug", TRANSLATIONS)
def test_a_spanish_guide_reads_easily_in_short_sentences(slug):
    _, body = spanish(slug)

    report = plain_language.check_markdown(body, language="es")

    assert report.reading_ease >= plain_language.MIN_READING_EASE_ES, slug
    assert report.long_sentences == []


@pytest.mark.parametrize("slug", TRANSLATIONS)
def test_a_spanish_guide_uses_person_first_words(slug):
    text = whole(*spanish(slug))

    assert plain_language.stigmatising_words_es(text) == []
