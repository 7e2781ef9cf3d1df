"""The safety facts a medical reviewer found wrong or missing are now right, and stay right."""

import re

import pytest
from django.template.loader import render_to_string
from django.utils.html import strip_tags

from education import plain_language
from education.services import CONTENT_DIR, parse_guide


def guide(name: str) -> str:
    meta, body = parse_guide(CONTENT_DIR / "guides" / f"{name}.md")
    return " ".join([meta["title"], meta["summary"], body])


def section(text: str, heading: str) -> str:
    """The text under a `##` heading, up to the next one."""
    start = text.index(f"## {heading}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def in_order(text: str, *patterns: str) -> bool:
    positions = [re.search(p, text, re.IGNORECASE) for p in patterns]
    return all(positions) and [m.start() for m in positions] == sorted(m.start() for m in positions)


def page_text(template: str) -> str:
    return strip_tags(render_to_string(template, {"clinic": {}}))


@pytest.mark.parametrize(
    ("name", "heading"),
    [("overdose-what-to-do", None), ("helping-a-loved-one", "Be ready for an overdose")],
)
def test_overdose_steps_call_then_naloxone_then_breathing_then_side_then_second_dose(name, heading):
    text = guide(name) if heading is None else section(guide(name), heading)
    steps = "\n".join(re.findall(r"^\d+\. .*$", text, re.MULTILINE))

    assert in_order(steps, r"call \[?911", r"naloxone", r"rescue breaths", r"on(to)? their side")
    assert re.search(r"once they are breathing", text, re.IGNORECASE)
    assert re.search(r"2 (to|\u2013) ?3 minutes|2\u20133 minutes", text)
    assert re.search(r"30 (to|\u2013) ?90 minutes", text)
    assert "withdrawal" in text
    assert "Otherwise, lay them on their side" not in text


def test_the_overdose_guide_covers_what_a_bystander_needs():
    text = guide("overdose-what-to-do")

    for fact in ("(tel:911)", "Good Samaritan", "without a prescription", "for free", "fentanyl"):
        assert fact in text, fact


def test_nodding_off_is_not_presented_as_harmless_and_self_control_is_not_a_sign():
    text = guide("signs-of-heroin-use")

    assert re.search(r"nodding off.{0,400}breathing", text, re.IGNORECASE | re.DOTALL)
    assert re.search(r"(cannot|can't|can not) (be )?wake", text, re.IGNORECASE)
    assert "self-control" not in text.lower()


def test_the_painkillers_guide_warns_of_fake_pills_mixing_and_stopping_suddenly():
    text = guide("from-painkillers-to-heroin").lower()

    for fact in ("fentanyl", "pills", "alcohol", "benzodiazepines", "naloxone", "suddenly"):
        assert fact in text, fact
    assert re.search(r"fake|counterfeit", text)


@pytest.mark.parametrize(
    "text", [guide("treatment-options"), guide("moud-facts-and-myths"), "programs"]
)
def test_naltrexone_comes_with_its_overdose_warning(text):
    if text == "programs":
        text = page_text("education/programs.html")

    assert re.search(r"naltrexone[^#]{0,600}missed dose[^#]{0,300}", text, re.IGNORECASE)
    assert re.search(r"missed dose.{0,400}(fatal|kill)|(fatal|kill).{0,400}missed dose", text, re.S)


@pytest.mark.parametrize("text", [guide("treatment-options"), "programs"])
def test_methadone_names_its_main_risk(text):
    if text == "programs":
        text = page_text("education/programs.html")

    assert re.search(r"slowed breathing", text, re.IGNORECASE)
    assert re.search(r"alcohol, benzodiazepines", text)


def test_withdrawal_answers_whether_it_can_kill_plainly():
    text = guide("heroin-withdrawal")
    answer = section(text, "Can withdrawal kill me?").lower()

    for fact in ("dehydration", "overdose", "pregnant", "heart"):
        assert fact in answer, fact
    assert "first time is especially hard" not in text.lower()


def test_long_term_effects_list_the_physical_harms_nida_names():
    text = guide("long-term-effects-of-heroin").lower()

    for harm in ("collapsed veins", "heart", "valves", "abscess", "liver", "kidney",
                 "hepatitis b", "hepatitis c", "hiv", "oxygen", "overdose"):  # fmt: skip
        assert harm in text, harm


def test_treatment_leads_with_medication_that_saves_lives():
    text = guide("treatment-options")

    assert "save lives" in text
    assert "You do not need detox first" in text
    assert "DEA registration" in text
    assert re.search(r"lack of counseling is no reason", text)
    body = text[text.index("## ") :].lower()
    assert body.index("methadone") < body.index("## detox")


@pytest.mark.parametrize("template", ["education/home.html", "education/programs.html"])
def test_detox_is_not_the_usual_first_step_and_only_the_consultation_is_free(template):
    text = " ".join(page_text(template).split()).lower()

    assert not re.search(r"detox[^.]{0,80}first step|first step[^.]{0,80}detox", text)
    for match in re.finditer(r"\bfree\b", text):
        nearby = text[max(0, match.start() - 80) : match.end() + 80]
        assert re.search(
            r"consultation|conversation|call|helpline|naloxone|free of opioids", nearby
        ), nearby


def test_the_brain_guide_does_not_claim_change_from_the_first_use():
    text = guide("heroin-and-the-brain").lower()

    assert not re.search(r"(very )?first (time|use)[^.]{0,60}(change|addict)", text)
    assert "repeated" in text


@pytest.mark.parametrize(
    ("name", "facts"),
    [
        ("fentanyl-and-the-drug-supply",
         ["pills", "test strip", "xylazine", "naloxone", "tolerance"]),
        ("staying-safer",
         ["alone", "alcohol", "after detox", "jail", "syringe services", "hiv", "hepatitis c"]),
        ("moud-facts-and-myths",
         ["swapping one drug", "end date", "telehealth", "pregnan", "detox"]),
        ("pregnancy-and-opioids",
         ["suddenly", "methadone or buprenorphine", "newborn", "treatable", "breastfeed"]),
        ("paying-for-care-and-confidentiality",
         ["medicaid", "medicare", "private", "findtreatment.gov", "42 cfr part 2", "consent"]),
        ("what-happens-when-you-contact-us",
         ["never ask", "business day", "911", "988", "someone else"]),
    ],
)  # fmt: skip
def test_each_new_guide_carries_what_a_visitor_in_trouble_needs(name, facts):
    text = guide(name).lower()

    for fact in facts:
        assert fact in text, fact


def test_no_guide_calls_treatment_itself_free():
    for path in (CONTENT_DIR / "guides").glob("*.md"):
        text = " ".join(guide(path.stem).split()).lower()
        assert not re.search(r"treatment (is|will be) free|free treatment", text), path.stem


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/programs/", "/about/", "/privacy/", "/learn/", "/contact/", "/consultation/"]
)
def test_public_pages_use_person_first_words_too(client, guides, path):
    main = client.get(path).content.decode().split("<main", 1)[1].split("</main>")[0]

    assert plain_language.stigmatising_words(strip_tags(main)) == []
