"""The Spanish starting guides say what the English ones say, plainly and respectfully.

A translation that drops or reorders a safety step can kill, so the medical facts the
English guides are tested for are tested here in Spanish too. Read from the files, like
test_guide_quality.py and test_medical_content.py.
"""

import re

import pytest

from education import plain_language
from education.services import CONTENT_DIR, parse_guide
from tests.education.test_medical_content import in_order, section

GUIDES = CONTENT_DIR / "guides"
SPANISH_FILES = sorted((GUIDES / "es").glob("*.md"))
# Keys a translation takes from its English original rather than repeating them.
FROM_THE_ORIGINAL = {"topic", "featured", "order", "related", "reviewed_on"}


def guide(slug: str) -> str:
    meta, body = parse_guide(GUIDES / "es" / f"{slug}.md")
    return " ".join([meta["title"], meta["summary"], body])


@pytest.fixture(params=SPANISH_FILES, ids=[path.stem for path in SPANISH_FILES])
def spanish(request):
    meta, body = parse_guide(request.param)
    original = parse_guide(GUIDES / f"{meta['translation_of']}.md")
    return request.param, meta, body, original


def test_each_spanish_guide_is_fairly_easy_to_read(spanish):
    _path, meta, body, _original = spanish

    report = plain_language.check_markdown(body, language="es")

    assert report.reading_ease >= plain_language.MIN_READING_EASE_ES, meta["slug"]
    assert report.long_sentences == []


def test_no_spanish_guide_labels_people(spanish):
    _path, meta, body, _original = spanish

    text = " ".join([meta["title"], meta["summary"], body])

    assert plain_language.stigmatising_words_es(text) == []


def test_a_translation_names_its_original_and_waits_for_a_clinician(spanish):
    path, meta, _body, (original, _) = spanish

    assert meta["slug"] == path.stem
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", meta["slug"])
    assert meta["slug"] != original["slug"]
    assert meta["awaiting_review"] is True
    assert meta["reviewer"] == original["reviewer"]
    assert meta["sources"] == original["sources"]
    assert not FROM_THE_ORIGINAL & meta.keys()
    assert len(meta["summary"]) <= 300


def test_a_translation_keeps_the_sections_and_steps_of_its_original(spanish):
    _path, _meta, body, (_, original_body) = spanish

    def outline(markdown):
        return [
            len(re.findall(r"^## ", markdown, re.MULTILINE)),
            len(re.findall(r"^### ", markdown, re.MULTILINE)),
            len(re.findall(r"^\d+\. ", markdown, re.MULTILINE)),
            markdown.count("(tel:"),
        ]

    assert outline(body) == outline(original_body)


def test_links_lead_to_the_spanish_guide_when_there_is_one(spanish):
    _path, meta, body, _original = spanish
    spanish_of = {parse_guide(p)[0]["translation_of"]: p.stem for p in SPANISH_FILES}
    english = {p.stem for p in GUIDES.glob("*.md")}

    assert "](/learn/" not in body, "a Spanish guide links to an English address"
    for slug in re.findall(r"\]\(/es/learn/([a-z0-9-]+)/", body):
        assert slug in spanish_of.values() or slug in english, f"{meta['slug']}: {slug}"
        assert slug not in spanish_of, f"{meta['slug']} should link to {spanish_of.get(slug)}"


def test_overdose_steps_call_then_naloxone_then_breathing_then_side_then_second_dose():
    text = guide("sobredosis-que-hacer")
    steps = "\n".join(re.findall(r"^\d+\. .*$", text, re.MULTILINE))

    assert in_order(
        steps,
        r"llame al \[?911",
        r"naloxona",
        r"respiración de rescate",
        r"una vez que respire, póngala de lado",
        r"2 a 3 minutos\? dé otra dosis",
        r"quédese con ella",
    )
    assert re.search(r"de 30 a 90 minutos", text)
    assert "abstinencia" in text


def test_the_overdose_guide_covers_what_a_bystander_needs():
    text = guide("sobredosis-que-hacer")

    for fact in ("(tel:911)", "Buen Samaritano", "sin receta", "gratis", "fentanilo",
                 "xilacina", "(tel:988)", "oprima 2", "(tel:+18006624357)"):  # fmt: skip
        assert fact in text, fact


def test_withdrawal_answers_whether_it_can_kill_plainly():
    answer = section(guide("abstinencia-de-heroina"), "¿La abstinencia me puede matar?").lower()

    for fact in ("deshidratación", "sobredosis", "embarazada", "corazón", "convulsiones"):
        assert fact in answer, fact
    assert in_order(answer, r"llame al \[911", r"naloxona", r"quédese con la persona")


def test_withdrawal_warns_that_buprenorphine_too_soon_brings_sudden_withdrawal():
    text = guide("abstinencia-de-heroina").lower()

    assert re.search(r"buprenorfina.{0,200}abstinencia leve.{0,200}muy pronto", text, re.S)
    assert "lofexidina" in text and "14 días" in text


def test_treatment_leads_with_medication_that_saves_lives():
    text = guide("opciones-de-tratamiento")

    assert "salvan vidas" in text
    assert "No necesita una desintoxicación primero" in text
    assert "registro de la DEA" in text
    assert "la falta de consejería no es razón" in text
    body = text[text.index("## ") :].lower()
    assert body.index("metadona") < body.index("## desintoxicación")


def test_naltrexone_comes_with_its_overdose_warning():
    text = guide("opciones-de-tratamiento")

    assert re.search(r"naltrexona[^#]{0,800}olvida una dosis", text, re.IGNORECASE)
    assert re.search(r"olvida una dosis.{0,400}(mortal|matar)", text, re.S)


def test_methadone_names_its_main_risk():
    text = guide("opciones-de-tratamiento")

    assert "respiración lenta" in text
    assert "alcohol, benzodiacepinas" in text


def test_no_spanish_guide_calls_treatment_itself_free():
    for path in SPANISH_FILES:
        text = " ".join(guide(path.stem).split()).lower()
        assert not re.search(r"tratamiento (es|será) gratis|tratamiento gratis", text), path.stem
