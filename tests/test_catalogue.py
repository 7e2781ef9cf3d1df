"""Each language's catalogue: every string translated, none fuzzy, current with the code,
and shipped compiled, so a visitor never meets an English sentence where a translation
should be (README, "Adding a language")."""

import gettext
import shutil
import subprocess
import sys

import polib
import pytest
from django.conf import settings

LOCALE = settings.BASE_DIR / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# What makemessages reads: the code and templates that mark strings for translation. The
# admin's templates are left out, as in `make messages`: they use Django's own admin words,
# which Django's catalogues translate for staff who choose Spanish.
SOURCES = ["manage.py", "recovery_site", "education", "intake", "templates"]
IGNORED = ["templates/admin/*"]


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def keys(po: polib.POFile) -> set[tuple[str, str, str]]:
    return {(entry.msgctxt or "", entry.msgid, entry.msgid_plural) for entry in po}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language):
    po = catalogue(language)

    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    assert len(po) > 100  # the site's own words, not an empty file


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_shipped_compiled_catalogue_is_the_text_one(language):
    po = catalogue(language)
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as file:
        mo = gettext.GNUTranslations(file)

    stale = []
    for entry in po.translated_entries():
        if entry.msgid_plural:
            found = [mo.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                     if entry.msgctxt else mo.ngettext(entry.msgid, entry.msgid_plural, n)
                     for n in (1, 2)]  # fmt: skip
            expected = [entry.msgstr_plural[0], entry.msgstr_plural[1]]
        else:
            found = (
                mo.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt
                else mo.gettext(entry.msgid)
            )
            expected = entry.msgstr
        if found != expected:
            stale.append(entry.msgid)
    assert stale == [], "run `make messages` to compile the catalogue"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (make gettext)")
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_holds_every_string_the_code_marks_and_no_other(tmp_path, language):
    for name in SOURCES:
        source = settings.BASE_DIR / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    shutil.copytree(LOCALE, tmp_path / "locale")

    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", language, "--no-obsolete",
         "--add-location", "file", "-v", "0", *(f"--ignore={pattern}" for pattern in IGNORED)],
        cwd=tmp_path, check=True,
    )  # fmt: skip

    current = keys(polib.pofile(str(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po")))
    shipped = keys(catalogue(language))
    assert sorted(current - shipped) == [], "new strings: run `make messages` and translate them"
    assert sorted(shipped - current) == [], "strings no longer used: run `make messages`"
