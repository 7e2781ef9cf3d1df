"""Every shipped guide is plain, respectful, cited and linked: what a medical director signs."""

import datetime
import re
import tomllib
from urllib.parse import urlsplit

import pytest

from education import plain_language
from education.services import CONTENT_DIR, parse_guide

GUIDE_FILES = sorted((CONTENT_DIR / "guides").glob("*.md"))
# Where a guide's facts may come from: public health agencies and the National Academies.
PUBLIC_SOURCES = (
    "nida.nih.gov", "nih.gov", "samhsa.gov", "cdc.gov", "fda.gov", "medlineplus.gov",
    "nationalacademies.org", "hhs.gov", "dea.gov", "findtreatment.gov", "acog.org",
    "medicaid.gov", "medicare.gov", "cms.gov", "healthcare.gov", "988lifeline.org",
    "govinfo.gov", "usdoj.gov",
)  # fmt: skip


def guide_ids():
    return [path.stem for path in GUIDE_FILES]


@pytest.fixture(params=GUIDE_FILES, ids=guide_ids())
def guide(request):
    meta, body = parse_guide(request.param)
    return meta, body


def test_each_guide_reads_at_grade_eight_or_below(guide):
    meta, body = guide

    report = plain_language.check_markdown(body)

    assert report.grade <= plain_language.MAX_GRADE, meta["slug"]


def test_no_sentence_runs_past_twenty_five_words(guide):
    _meta, body = guide

    assert plain_language.check_markdown(body).long_sentences == []


def test_no_guide_labels_people_or_uses_retired_jargon(guide):
    meta, body = guide

    text = " ".join([meta["title"], meta["summary"], body])

    assert plain_language.stigmatising_words(text) == []


def test_every_source_is_a_linked_public_health_page_with_the_date_we_read_it(guide):
    meta, _ = guide

    assert meta.get("sources"), f"{meta['slug']} cites nothing"
    for source in meta["sources"]:
        address = urlsplit(source["url"])
        assert address.scheme == "https", source
        assert address.hostname.endswith(PUBLIC_SOURCES), source
        assert source["title"].strip() and source["publisher"].strip()
        assert isinstance(source["read_on"], datetime.date), source
        assert source["read_on"] <= meta["reviewed_on"], "a source read after the review"


def test_links_between_guides_lead_to_guides_that_exist(guide):
    meta, body = guide
    slugs = {parse_guide(path)[0]["slug"] for path in GUIDE_FILES}

    for slug in re.findall(r"\]\(/learn/([a-z0-9-]+)/", body):
        assert slug in slugs, f"{meta['slug']} links to a missing guide: {slug}"
    for name in meta.get("related", []):
        assert (CONTENT_DIR / "guides" / f"{name}.md").exists(), name


def test_each_guide_names_a_shipped_reviewer():
    reviewers = tomllib.loads((CONTENT_DIR / "reviewers.toml").read_text())["reviewers"]
    keys = {reviewer["key"] for reviewer in reviewers}

    for path in GUIDE_FILES:
        assert parse_guide(path)[0]["reviewer"] in keys, path.name


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("He is an addict.", ["addict"]),
        ("Heroin users often hide it.", ["Heroin users"]),
        ("Her test came back dirty.", ["dirty"]),
        ("After a relapse, call us.", ["relapse"]),
        ("Ask about MAT.", ["MAT"]),
        ("She has been clean for a year.", ["clean"]),
        ("The Substance Abuse and Mental Health Services Administration runs it.", []),
        ("A person with opioid use disorder can recover.", []),
    ],
)
def test_the_wording_check_catches_labels_and_spares_agency_names(text, flagged):
    assert [word for word, _ in plain_language.stigmatising_words(text)] == flagged


def test_the_reading_grade_tells_plain_from_dense_text():
    plain = "Call 911. Give naloxone. Stay with them. Help is on the way."
    dense = (
        "Pharmacological interventions utilizing opioid agonist medications demonstrate "
        "substantial reductions in all-cause mortality among individuals with diagnosed "
        "opioid use disorder."
    )

    assert plain_language.reading_grade(plain) < 4 < plain_language.MAX_GRADE
    assert plain_language.reading_grade(dense) > 14


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Su hijo es un adicto.", ["adicto"]),
        ("Los drogadictos no cambian.", ["drogadictos"]),
        ("No es una toxicómana.", ["toxicómana"]),
        ("Lleva un año limpio.", ["limpio"]),
        ("La prueba salió sucia.", ["sucia"]),
        ("Después de una recaída, llámenos.", ["recaída"]),
        ("El abuso de drogas es común.", ["abuso de drogas"]),
        ("Pregunte por el tratamiento asistido con medicamentos.",
         ["tratamiento asistido con medicamentos"]),
        ("La Administración de Servicios de Salud Mental y Abuso de Sustancias ayuda.", []),
        ("Una persona con un trastorno por consumo de opioides puede recuperarse.", []),
    ],
)  # fmt: skip
def test_the_spanish_wording_check_catches_labels_and_spares_agency_names(text, flagged):
    assert [word for word, _ in plain_language.stigmatising_words_es(text)] == flagged


def test_the_spanish_reading_ease_tells_plain_from_dense_text():
    plain = "Llame al 911. Dé naloxona. Quédese con la persona. La ayuda ya viene."
    dense = (
        "Las intervenciones farmacológicas con medicamentos agonistas opioides demuestran "
        "reducciones considerables de la mortalidad por cualquier causa entre individuos "
        "diagnosticados con trastornos por consumo de opioides."
    )

    assert plain_language.reading_ease_es(plain) > 90
    assert plain_language.reading_ease_es(dense) < plain_language.MIN_READING_EASE_ES


def test_the_checker_reads_files_under_es_as_spanish(tmp_path, capsys):
    (tmp_path / "es").mkdir()
    path = tmp_path / "es" / "guia.md"
    path.write_text("+++\ntitle = 'x'\n+++\nSu hermano es un adicto. Llame al 911.\n")

    assert plain_language.main([str(path)]) == 1

    out = capsys.readouterr().out
    assert "FIX  ease" in out and "'adicto'" in out
    assert plain_language.check_markdown("He is an addict.").flagged_words
    assert plain_language.check_markdown("He is an addict.", language="es").flagged_words == []
