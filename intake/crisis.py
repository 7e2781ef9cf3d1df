"""Recognise a message that speaks of an overdose, suicide or self-harm, in English or
Spanish (a request is read whatever the language of the page it was sent from)."""

import re
import unicodedata

# Broad on purpose: a false alarm costs a staff member a minute; a missed one can cost a life.
_CRISIS = re.compile(
    r"""
    overdos\w* | \bo\.d\.? | \bod(?:'d|ed|ing)?\b | \bnarcan\b | \bnaloxone\b
    | too\s+many\s+pills | won'?t\s+wake | not\s+waking | can'?t\s+wake
    | suicid\w* | kill(?:ing)?\s+(?:my|him|her|them)sel(?:f|ves) | end(?:ing)?\s+(?:my|his|her|their)\s+life
    | want(?:s|ed)?\s+to\s+die | wanna\s+die | better\s+off\s+dead | not\s+wake\s+up
    | (?:don'?t|do\s+not|doesn'?t)\s+want\s+to\s+(?:live|be\s+alive|be\s+here)
    | end(?:ing)?\s+it\s+all | take\s+my\s+(?:own\s+)?life
    | self[-\s]?harm\w* | hurt(?:ing)?\s+(?:my|him|her|them)sel(?:f|ves)
    | cut(?:ting|s)?\s+(?:my|him|her)sel(?:f)?
    | not\s+breathing | unresponsive | turning\s+blue
    """,
    re.IGNORECASE | re.VERBOSE,
)
# The same dangers as people write them in Spanish, matched on the text without its accents
# (many type "dano", "morirme", "suicidio" without them on a phone) and whatever the verb's
# person: "no respira", "no despierta", "se puso morado", "me quiero morir", "matarse" ...
_CRISIS_ES = re.compile(
    r"""
    sobre\s*dosis | \bnaloxona\b | \bnarcan\b | demasiadas\s+pastillas
    | no\s+(?:esta\s+|puede\s+)?respira | dejo\s+de\s+respirar
    | no\s+(?:se\s+)?(?:despierta|reacciona) | no\s+(?:lo|la|le)\s+\w*\s*despertar
    | inconsciente | (?:puso|poniendo|pone|esta)\s+(?:azul|morad[oa])
    | labios\s+(?:azules|morados)
    | \bmorir(?:me|se)?\b | (?:mejor|estar)\s+muert[oa] | suicid\w*
    | \bmatar(?:me|se|te)\b | \bme\s+(?:voy\s+a\s+|quiero\s+)?mat[oa]r?\b
    | quitar(?:me|se)?\s+la\s+vida | (?:me|se)\s+quit[oae]\w*\s+la\s+vida
    | acabar\s+con\s+(?:todo|mi\s+vida|su\s+vida)
    | (?:hacer(?:me|se)|me\s+hago|se\s+hace|me\s+hice|se\s+hizo)\s+dano
    | autolesi\w* | \blastimar(?:me|se)\b | \bcortar(?:me|se)\b | \b(?:me|se)\s+cort[oae]\w*
    | no\s+(?:quiero|quiere|queremos)\s+(?:seguir\s+)?vivir
    """,
    re.IGNORECASE | re.VERBOSE,
)


def _without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def mentions_crisis(*texts: str) -> bool:
    """True when any text speaks of an overdose, suicide or self-harm."""
    return any(
        _CRISIS.search(text or "") or _CRISIS_ES.search(_without_accents(text or ""))
        for text in texts
    )
