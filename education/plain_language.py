"""Plain-language checks for guides: reading grade, long sentences and stigmatising words.

Flesch-Kincaid grade, counted the way textstat 0.7.3 counts it (pyphen's hyphenation points
give the syllables). textstat itself is not used: its newer releases download a dictionary
at first use and 0.7.3 imports the removed ``pkg_resources``.

Run as a script to check guide files while writing:
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


@dataclass(frozen=True)
class Report:
    grade: float
    long_sentences: list[str]
    flagged_words: list[tuple[str, str]]

    @property
    def ok(self) -> bool:
        return self.grade <= MAX_GRADE and not self.long_sentences and not self.flagged_words


@lru_cache(maxsize=1)
def _dictionary() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US")


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


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade level of plain text."""
    words = _words(text)
    if not words:
        return 0.0
    dictionary = _dictionary()
    syllables = sum(len(dictionary.positions(word.lower())) + 1 for word in words)
    sentence_count = max(1, len(sentences(text)))
    grade = 0.39 * len(words) / sentence_count + 11.8 * syllables / len(words) - 15.59
    return round(grade, 1)


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


def check_markdown(markdown: str) -> Report:
    text = markdown_to_sentences_text(markdown)
    return Report(
        grade=reading_grade(text),
        long_sentences=long_sentences(text),
        flagged_words=stigmatising_words(text),
    )


def main(paths: list[str]) -> int:
    failures = 0
    for name in paths:
        body = Path(name).read_text(encoding="utf-8")
        if body.startswith("+++"):
            body = body.split("+++\n", 2)[2]
        report = check_markdown(body)
        status = "ok" if report.ok else "FIX"
        print(f"{status:4} grade {report.grade:4.1f} (max {MAX_GRADE})  {name}")
        for sentence in report.long_sentences:
            print(f"     long sentence ({len(_words(sentence))} words): {sentence}")
        for word, instead in report.flagged_words:
            print(f"     word {word!r}: say {instead!r}")
        failures += not report.ok
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
