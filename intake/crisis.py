"""Recognise a message that speaks of an overdose, suicide or self-harm."""

import re

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


def mentions_crisis(*texts: str) -> bool:
    """True when any text speaks of an overdose, suicide or self-harm."""
    return any(_CRISIS.search(text or "") for text in texts)
