"""A visitor's search: what they typed, corrected and widened, answered from stored vectors.

1. Words: lower case and without accents (querysets.plain_words); each row's vector is
   stored with its language's configuration (`english_unaccent`, `spanish_unaccent`) and
   the query uses the visitor's, so accents never matter.
2. Misspellings: a word no searchable text holds in any form (words are compared as
   lexemes, so "withdrawing" is no misspelling) is replaced by the nearest word of the
   vocabulary (SearchWord: trigram similarity finds candidates, the fewest edits chooses),
   unless the visitor asks for exactly what they typed.
3. Synonyms: a word or phrase staff list (SearchSynonym) also searches for what it means.
4. Guides and clinic pages with every word come first; when none has every word, those
   with any of them, ranked.
5. A search about an overdose leads with the overdose guide.

Each language searches apart, with its own vocabulary and synonyms: a Spanish search finds
the Spanish guides, the English guides with no Spanish version (labelled as in English) and
the clinic's pages in Spanish; an English search, English guides and pages only.

An answer can be kept in this process's memory per language and normalised query, under
the shared content version (education/page_cache.py) that every committed change to guides,
topics, pages or synonyms bumps. Memory, not the shared cache: what visitors search for is
not written to the database, even hashed.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_lazy

from education.models import Guide, SearchPage, SearchSynonym
from education.page_cache import KeptInMemory
from education.querysets import LEXEME_OF_WORD, plain_words, search_config

MAX_RESULTS = 20
MAX_PHRASE_WORDS = 4  # the longest synonym term looked for ("my son", "how much")
MIN_SIMILARITY = 0.2  # trigram similarity of a candidate correction ("herion", "heroin")
CANDIDATES = 10  # the most similar words, of which the fewest edits away is the correction
# Words (as they start), in any language, that make a search about an overdose.
OVERDOSE_WORDS = ("overdos", "sobredos", "naloxon", "narcan")
PAGE_LABEL = gettext_lazy("About our clinic")

# For each word: its lexeme ('' for a stop word); the word of a synonym's term with the same
# lexeme, if any (so "suboxon" and "sons" are read as the synonyms "suboxone" and "son");
# and, for a word of three letters or more whose lexeme no searchable text holds, the most
# similar words of the vocabulary, nearest first (the trigram index's order).
_SPELLING = f"""
SELECT q.lexeme,
       (SELECT w.word FROM education_searchword w
        WHERE w.language = %(language)s AND w.lexeme = q.lexeme AND w.in_synonym
        ORDER BY w.word = q.word DESC, w.word LIMIT 1),
       CASE WHEN q.lexeme <> '' AND length(q.word) >= 3 AND q.word !~ '[0-9]'
                 AND NOT EXISTS (SELECT 1 FROM education_searchword w
                                 WHERE w.language = %(language)s AND w.lexeme = q.lexeme)
            THEN ARRAY(SELECT w.word FROM education_searchword w
                       WHERE w.language = %(language)s
                             AND similarity(w.word, q.word) >= %(similarity)s
                       ORDER BY w.word <-> q.word, w.frequency DESC, w.word
                       LIMIT %(candidates)s)
       END
FROM (
    SELECT word, n, {LEXEME_OF_WORD} AS lexeme
    FROM unnest(%(words)s::text[]) WITH ORDINALITY AS t(word, n)
) AS q
ORDER BY q.n
"""


@dataclass(frozen=True)
class Result:
    """One guide or page found, as the results list shows it."""

    title: str
    url: str
    label: str  # the guide's topic, or that it is a page about the clinic
    snippet: SafeString  # the matching text, escaped, matches in <mark>
    is_overdose_guide: bool = False
    lang: str = ""  # the title's and snippet's language, when not the page's (lang="en")


@dataclass(frozen=True)
class Answer:
    results: tuple[Result, ...] = ()
    corrected: str = ""  # the words searched for instead, when a misspelling was corrected
    some_words_only: bool = False  # nothing had every word; these have some of them


_answers = KeptInMemory()


def search(
    query: str, *, exact: bool = False, version: str | None = None, language: str | None = None
) -> Answer:
    """Guides and clinic pages for what a visitor typed, best first.

    `exact` searches the words as typed, without correcting misspellings; `language` is the
    active one unless given. The answer is kept in memory under `version`
    (page_cache.kept_version()), if given.
    """
    words = plain_words(query).split()
    if not words:
        return Answer()
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    key = (language, " ".join(words), exact)
    answer = _answers.get(key, version)
    if answer is None:
        with translation.override(language):  # the labels' words
            answer = _answer(words, exact=exact, language=language)
        _answers.keep(key, version, answer)
    return answer


def _answer(words: list[str], *, exact: bool, language: str) -> Answer:
    searched, forms, stop_words = _checked(words, exact=exact, language=language)
    groups, meanings = _groups(searched, forms, stop_words, language=language)
    if not groups:
        return Answer()
    # Words are letters and digits only (plain_words), safe in tsquery syntax.
    config = search_config(language)
    every, some = (
        SearchQuery(operator.join(f"({g})" for g in groups), search_type="raw", config=config)
        for operator in (" & ", " | ")
    )
    found = [
        *Guide.objects.search(every=every, some=some, language=language).only(
            "title", "slug", "language", "topic__title", "topic__translations"
        )[:MAX_RESULTS],
        *SearchPage.objects.filter(language=language)
        .matching(every=every, some=some)
        .only("url_name", "title", "language")[:MAX_RESULTS],
    ]
    # What is in the visitor's language before an English guide that matches as well.
    found.sort(
        key=lambda row: (row.has_every, row.language == language, row.rank_every, row.rank_some),
        reverse=True,
    )
    has_every = any(row.has_every for row in found)
    results = [_result(row, language=language) for row in found if row.has_every or not has_every][
        :MAX_RESULTS
    ]
    if any(word.startswith(OVERDOSE_WORDS) for word in searched + meanings):
        # Read in an emergency: first, whatever else matches better.
        results.sort(key=lambda result: not result.is_overdose_guide)
    return Answer(
        results=tuple(results),
        corrected=" ".join(searched) if searched != words else "",
        some_words_only=bool(results) and not has_every,
    )


def _checked(
    words: list[str], *, exact: bool, language: str
) -> tuple[list[str], list[str], set[int]]:
    """The words to search for (misspellings corrected unless `exact`), the form to look each
    up among the synonyms, and the positions of stop words, in `language`."""
    with connection.cursor() as cursor:
        cursor.execute(
            _SPELLING,
            {
                "words": words,
                "language": language,
                "config": search_config(language),
                "similarity": MIN_SIMILARITY,
                "candidates": CANDIDATES,
            },
        )
        checked = cursor.fetchall()
    searched = [
        word if exact else _closest(word, candidates or []) or word
        for word, (_, _, candidates) in zip(words, checked, strict=True)
    ]
    forms = [synonym or word for word, (_, synonym, _) in zip(searched, checked, strict=True)]
    # A letter alone ("OD'd" is "od d") is no more a word to look for than "the" is.
    stop_words = {i for i, (lexeme, _, _) in enumerate(checked) if not lexeme or len(words[i]) == 1}
    return searched, forms, stop_words


def _groups(searched: list[str], forms: list[str], stop_words: set[int], *, language: str):
    """One tsquery text per word or synonym phrase (its own words, or what it means), and
    the words the synonyms brought in."""
    phrases = {
        " ".join(forms[start : start + n])
        for start in range(len(forms))
        for n in range(1, MAX_PHRASE_WORDS + 1)
    }
    synonyms = dict(
        SearchSynonym.objects.filter(language=language, term__in=phrases).values_list(
            "term", "means"
        )
    )
    groups, meanings, start = [], [], 0
    while start < len(searched):
        length = next(
            (n for n in range(min(MAX_PHRASE_WORDS, len(forms) - start), 1, -1)
             if " ".join(forms[start : start + n]) in synonyms),
            1,
        )  # fmt: skip
        span = range(start, start + length)
        own = [searched[i] for i in span if i not in stop_words]
        means = plain_words(synonyms.get(" ".join(forms[i] for i in span), "")).split()
        meanings += means
        alternatives = [" & ".join(part) for part in (own, means) if part]
        if alternatives:
            groups.append(" | ".join(f"({a})" for a in alternatives))
        start += length
    return groups, meanings


def _closest(word: str, candidates: list[str]) -> str | None:
    """The candidate fewest edits away, if close enough to be what the visitor meant.

    Trigrams find candidates; edits choose among them, since a swap of two letters
    ("herion") costs many trigrams but is one slip of the finger.
    """
    allowed = 1 if len(word) <= 5 else 2 if len(word) <= 9 else 3
    edits, closest = min(((_edits(word, c), c) for c in candidates), default=(allowed + 1, None))
    return closest if edits <= allowed else None


def _edits(a: str, b: str) -> int:
    """Letters to add, drop, change or swap with a neighbour to turn `a` into `b`."""
    before, row = None, list(range(len(b) + 1))
    for i, letter in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            cost = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (letter != other))
            if i > 1 and j > 1 and letter == b[j - 2] and a[i - 2] == other:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        before, row = row, current
    return row[-1]


def _result(row: Guide | SearchPage, *, language: str) -> Result:
    is_guide = isinstance(row, Guide)
    label = row.topic.translated("title", language) if is_guide else str(PAGE_LABEL)
    if row.language != language:  # an English guide with no version in the visitor's language
        label = gettext("%(topic)s · In English") % {"topic": label}
    return Result(
        title=row.title,
        url=row.get_absolute_url(),
        label=label,
        snippet=mark_safe(  # escaped first; only the markers become markup
            escape(row.snippet).replace("\x02", "<mark>").replace("\x03", "</mark>")
        ),
        is_overdose_guide=is_guide and row.is_overdose_guide,
        lang=row.language if row.language != language else "",
    )
