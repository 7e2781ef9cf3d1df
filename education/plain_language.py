"""Plain-language checks for guides: reading grade, long sentences and stigmatising words.

Flesch-Kincaid grade, counted the way textstat 0.7.3 counts it (pyphen's hyphenation points
give the syllables). textstat itself is not used: its newer releases download a dictionary
at first use and 0.7.3 imports the removed ``pkg_resources``.

Spanish guides are measured with Fernández-Huerta reading ease instead (the Spanish
adaptation of Flesch reading ease; higher is easier), with pyphen's Spanish patterns.

Run as a script to check guide files while writing (files under ``guides/es/`` are Spanish):
``python -m education.plain_language education/content/guides/*.md``
"""

import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyphen

MAX_GRADE = 8.0
MAX_SENTENCE_WORDS = 25
# Fernández-Huerta 70 and above reads as "fairly easy": about a 13-year-old's reading level.
MIN_READING_EASE_ES = 70.0

# Words that label or shame a person, and the jargon NIDA's "Words Matter" asks us to drop.
# Each entry: (pattern, what to say instead). Agency names that contain "Abuse" are allowed.
STIGMATISING = [
    (r"\baddicts?\b", "a person with a substance use disorder"),
    (r"\baddicted\b", "has an opioid use disorder"),
    (r"\babusers?\b", "a person who uses drugs"),
    (r"\bjunk(ie|y|ies)\b", "a person who uses drugs"),
    (r"\b(drug|heroin|opioid|substance|iv) users?\b", "people who use heroin"),
    (r"\bclean\b", "not using, or a negative test; sterile for equipment"),
    (r"\bdirty\b", "using, or a positive test; used for equipment"),
    (r"\b(drug|substance|heroin|opioid|alcohol) abuse\b", "substance use, or misuse"),
    (r"\brelaps(e|es|ed|ing)\b", "return to use"),
    (r"\bHUD\b", "opioid use disorder (OUD)"),
    (r"\bMAT\b", "medications for opioid use disorder (MOUD)"),
    (r"\bmedication[- ]assisted treatment\b", "medications for opioid use disorder (MOUD)"),
    (r"\bheroin use disorder\b", "opioid use disorder"),
]
ALLOWED_NAMES = [
    "Substance Abuse and Mental Health Services Administration",
    "National Institute on Drug Abuse",
]

# The same advice for Spanish guides: labels for people, "limpio/sucio" for people or
# tests, "recaída" and the retired "tratamiento asistido con medicamentos".
STIGMATISING_ES = [
    (r"\b(drog)?adict[oa]s?\b", "una persona con un trastorno por consumo de opioides"),
    (r"\btoxic[óo]man[oa]s?\b", "una persona con un trastorno por consumo de sustancias"),
    (r"\byonquis?\b", "una persona que consume drogas"),
    (r"\busuari[oa]s? de (drogas|heroína|opioides|sustancias)\b", "personas que consumen heroína"),
    (r"\babuso de (drogas|sustancias|opioides|heroína|alcohol)\b", "consumo, o uso indebido"),
    (r"\blimpi[oa]s?\b", "sin consumir, o prueba negativa; estéril o nuevo para el equipo"),
    (r"\bsuci[oa]s?\b", "consumiendo, o prueba positiva; usado para el equipo"),
    (r"\breca(ída|ídas|ida|idas|er|e|en|yó|yeron|yendo|iga|igan)\b", "volver a consumir"),
    (
        r"\btratamiento asistido (con|por) medicamentos\b",
        "medicamentos para el trastorno por consumo de opioides",
    ),
]
ALLOWED_NAMES_ES = [
    *ALLOWED_NAMES,
    "Administración de Servicios de Salud Mental y Abuso de Sustancias",
    "Instituto Nacional sobre el Abuso de Drogas",
]


@dataclass(frozen=True)
class Report:
    grade: float | None  # None for Spanish, which is measured by reading_ease
    long_sentences: list[str]
    flagged_words: list[tuple[str, str]]
    reading_ease: float | None = None  # Spanish only
    language: str = "en"

    @property
    def ok(self) -> bool:
        if self.language == "es":
            easy = self.reading_ease >= MIN_READING_EASE_ES
        else:
            easy = self.grade <= MAX_GRADE
        return easy and not self.long_sentences and not self.flagged_words


@lru_cache(maxsize=1)
def _dictionary() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US")


@lru_cache(maxsize=1)
def _dictionary_es() -> pyphen.Pyphen:
    # One-letter edges, so "a-yu-da" and "e-mer-gen-cia" count every syllable.
    return pyphen.Pyphen(lang="es", left=1, right=1)


def markdown_to_sentences_text(markdown: str) -> str:
    """Plain text where every heading, list item and paragraph ends a sentence.

    Without this, a bulleted list reads as one endless sentence and the grade is meaningless.
    """
    lines = []
    for raw in markdown.splitlines():
        line = raw.strip()
        if not line or line.startswith(("|", "---", "```")):
            continue
        line = re.sub(r"^(#+|[-*+]|\d+\.)\s+", "", line)
        line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)  # links keep their words
        line = re.sub(r"[*_`>]", "", line).strip()
        if line and line[-1] not in ".!?:;":
            line += "."
        lines.append(line)
    return "\n".join(lines)


def _words(text: str) -> list[str]:
    text = re.sub(r"'(?![tsd]\b|ve\b|ll\b|re\b)", '"', text)
    return re.sub(r"[^\w\s']", "", text).split()


def sentences(text: str) -> list[str]:
    found = re.findall(r"\b[^.!?]+[.!?]*", text.replace("\n", " "), re.UNICODE)
    return [s.strip() for s in found if len(_words(s)) > 2]


def _counts(text: str, dictionary: pyphen.Pyphen) -> tuple[int, int, int]:
    """Words, syllables and sentences of plain text (at least one sentence)."""
    words = _words(text)
    syllables = sum(len(dictionary.positions(word.lower())) + 1 for word in words)
    return len(words), syllables, max(1, len(sentences(text)))


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade level of plain text."""
    words, syllables, sentence_count = _counts(text, _dictionary())
    if not words:
        return 0.0
    grade = 0.39 * words / sentence_count + 11.8 * syllables / words - 15.59
    return round(grade, 1)


def reading_ease_es(text: str) -> float:
    """Fernández-Huerta reading ease of plain Spanish text: 70 or more is fairly easy."""
    words, syllables, sentence_count = _counts(text, _dictionary_es())
    if not words:
        return 100.0
    ease = 206.84 - 60 * syllables / words - 1.02 * words / sentence_count
    return round(ease, 1)


def long_sentences(text: str, limit: int = MAX_SENTENCE_WORDS) -> list[str]:
    # Split on colons and semicolons too: a list introduced by a colon is read in parts.
    parts = re.split(r"(?<=[.!?:;])\s+", text.replace("\n", " "))
    return [part for part in parts if len(_words(part)) > limit]


def stigmatising_words(text: str) -> list[tuple[str, str]]:
    for name in ALLOWED_NAMES:
        text = text.replace(name, "")
    found = []
    for pattern, instead in STIGMATISING:
        flags = 0 if pattern in (r"\bHUD\b", r"\bMAT\b") else re.IGNORECASE
        found += [(match.group(0), instead) for match in re.finditer(pattern, text, flags)]
    return found


def stigmatising_words_es(text: str) -> list[tuple[str, str]]:
    for name in ALLOWED_NAMES_ES:
        text = text.replace(name, "")
    found = []
    for pattern, instead in STIGMATISING_ES:
        found += [(m.group(0), instead) for m in re.finditer(pattern, text, re.IGNORECASE)]
    return found


def check_markdown(markdown: str, language: str = "en") -> Report:
    text = markdown_to_sentences_text(markdown)
    if language == "es":
        return Report(
            grade=None,
            long_sentences=long_sentences(text),
            flagged_words=stigmatising_words_es(text),
            reading_ease=reading_ease_es(text),
            language="es",
        )
    return Report(
        grade=reading_grade(text),
        long_sentences=long_sentences(text),
        flagged_words=stigmatising_words(text),
    )


def language_of(path: Path) -> str:
    """Starting guides in Spanish live in guides/es/."""
    return "es" if path.parent.name == "es" else "en"


def main(paths: list[str]) -> int:
    failures = 0
    for name in paths:
        body = Path(name).read_text(encoding="utf-8")
        if body.startswith("+++"):
            body = body.split("+++\n", 2)[2]
        report = check_markdown(body, language=language_of(Path(name)))
        status = "ok" if report.ok else "FIX"
        if report.language == "es":
            words = len(_words(markdown_to_sentences_text(body)))
            ease = f"ease {report.reading_ease:5.1f} (min {MIN_READING_EASE_ES:g}), {words} words"
            print(f"{status:4} {ease}  {name}")
        else:
            print(f"{status:4} grade {report.grade:4.1f} (max {MAX_GRADE})  {name}")
        for sentence in report.long_sentences:
            print(f"     long sentence ({len(_words(sentence))} words): {sentence}")
        for word, instead in report.flagged_words:
            print(f"     word {word!r}: say {instead!r}")
        failures += not report.ok
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
