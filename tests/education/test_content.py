"""The starting guides carry every fact of the source pages, in respectful words."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from education.services import CONTENT_DIR

ROOT = Path(__file__).resolve().parents[2]
OWN_WORDS = ROOT.parent / "shared" / "tools" / "own_words.py"


def all_guides_text():
    return " ".join(p.read_text() for p in (CONTENT_DIR / "guides").glob("*.md")).lower()


@pytest.mark.parametrize(
    "fact",
    [
        "opioid receptors", "dopamine", "tolerance", "morphine", "oxycodone", "hydrocodone",
        "pupils", "dry mouth", "itching", "nausea", "vomiting", "constipation", "white matter",
        "decision", "stress", "dependence", "return to use", "inject", "smok", "within hours",
        "between 24 and 48 hours", "roughly a week", "months", "psychological", "physical", "detox",
        "lofexidine", "fda", "non-opioid", "methadone", "buprenorphine",
        "cognitive behavioral therapy", "contingency management", "support group", "aftercare",
        "co-occurring", "virtual", "telehealth", "inpatient", "cheaper and easier", "hiv",
        "crime", "keep work", "chronic", "euphoria", "goosebumps", "restless", "insomnia",
        "aching muscles and bones", "laxative", "flushed", "craving",
    ],
)  # fmt: skip
def test_every_source_fact_appears_in_the_guides(fact):
    assert fact in all_guides_text()


@pytest.mark.parametrize("word", ["addict", "addicts", "junkie", "abuser", "clean", "dirty"])
def test_guides_use_person_first_language(word):
    assert not re.search(rf"\b{word}\b", all_guides_text())


@pytest.mark.skipif(not OWN_WORDS.exists(), reason="the shared own-words checker is not here")
def test_no_sentence_is_copied_from_the_source_pages():
    result = subprocess.run(
        [sys.executable, str(OWN_WORDS), str(ROOT)], capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stdout
