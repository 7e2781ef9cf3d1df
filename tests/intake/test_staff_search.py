"""Staff search in the queue: every request, by name, reference, phone or email, as typed."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intake.models import HelpRequest
from tests.factories import HelpRequestFactory
from tests.helpers import QUEUE
from tests.helpers import shown_in_queue as shown

pytestmark = pytest.mark.django_db


def search(client, typed, **filters):
    return client.get(QUEUE, {"q": typed, **filters})


def finds(client, typed, wanted, *others) -> bool:
    """Whether searching what staff typed lists the wanted request and none of the others."""
    response = search(client, typed)
    return shown(response, wanted) and not any(shown(response, other) for other in others)


def result_count(response) -> str:
    """What the search bar says it found, as staff read it."""
    text = re.sub(r"<[^>]+>", "", response.content.decode())
    return " ".join(re.search(r"\d+ results? in [a-z ]+ \(", text).group(0)[:-1].split())


# --- Every request, whatever the status filter shows ------------------------------------


def test_a_closed_request_is_found_by_name(client, coordinator):
    closed = HelpRequestFactory(name="Jordan Blake", status="closed")

    assert shown(search(client, "Jordan Blake"), closed)


def test_the_page_says_the_search_looked_in_all_statuses(client, coordinator):
    HelpRequestFactory(name="Jordan Blake", status="closed")
    HelpRequestFactory(name="Jordan Price", status="new")
    HelpRequestFactory(name="Jordan Held", spam=True, status="spam")

    assert result_count(search(client, "jordan")) == "2 results in all statuses"
    assert result_count(search(client, "jordan", status="new")) == "2 results in all statuses"
    assert result_count(search(client, "jordan", status="spam")) == "1 result in spam"


def test_spam_is_not_found_unless_the_spam_filter_is_chosen(client, coordinator):
    held = HelpRequestFactory(name="Jordan Held", spam=True, status="spam")
    marked = HelpRequestFactory(name="Jordan Marked", status="spam")

    for status in ("", "open", "all", "closed"):
        response = search(client, "jordan", status=status)
        assert not shown(response, held) and not shown(response, marked)
    response = search(client, "jordan", status="spam")
    assert shown(response, held) and shown(response, marked)


def test_while_searching_the_sidebar_shows_all_but_spam_and_a_status_link_leaves_the_search(
    client, coordinator
):
    html = search(client, "jordan", status="closed").content.decode()

    assert re.search(r'<li class="selected">\s*<a href="\?q=jordan&amp;status=all"', html)
    assert 'href="?status=new"' in html


# --- Names: any part, accents and case aside --------------------------------------------


@pytest.mark.parametrize("typed", ["Maria", "maria", "MARIA", "María"])
def test_maria_is_found_without_her_accent(client, coordinator, typed):
    maria = HelpRequestFactory(name="María Fernández")
    other = HelpRequestFactory(name="Mario Fernandes")

    assert finds(client, typed, maria, other)


def test_ortiz_finds_ana_ortiz_reyes(client, coordinator):
    ana = HelpRequestFactory(name="Ana Ortiz-Reyes")
    other = HelpRequestFactory(name="Ana Reyes")

    assert finds(client, "ortiz", ana, other)


def test_a_word_of_two_letters_finds_the_start_of_a_word_in_a_name(client, coordinator):
    wei, lisa = HelpRequestFactory(name="Wei Li"), HelpRequestFactory(name="Lisa Ray-Lí")
    julian = HelpRequestFactory(name="Julian Moore")

    response = search(client, "li")

    assert shown(response, wei) and shown(response, lisa) and not shown(response, julian)


@pytest.mark.parametrize("typed", ["Robin", "rob exa", "robin.example@", "ROBIN.EXAMPLE@MAIL.TEST"])
def test_searching_a_name_or_email_finds_the_request(client, coordinator, typed):
    wanted = HelpRequestFactory(name="Robin Example", email="robin.example@mail.test")
    other = HelpRequestFactory(name="Sam Other", email="sam@mail.test")

    assert finds(client, typed, wanted, other)


# --- References: with or without the prefix, any case, with spaces ---------------------


@pytest.fixture
def twvqrf():
    HelpRequestFactory(reference="MS-TWVQRG")
    return HelpRequestFactory(reference="CR-TWVQRF")


def test_a_reference_is_found_without_its_prefix(client, coordinator, twvqrf):
    response = search(client, "TWVQRF")

    assert shown(response, twvqrf) and result_count(response) == "1 result in all statuses"


def test_a_reference_is_found_typed_with_a_space(client, coordinator, twvqrf):
    response = search(client, "CR-TWV QRF")

    assert shown(response, twvqrf) and result_count(response) == "1 result in all statuses"


def test_a_reference_is_found_in_lower_case(client, coordinator, twvqrf):
    response = search(client, "cr twvqrf")

    assert shown(response, twvqrf) and result_count(response) == "1 result in all statuses"


def test_a_reference_with_the_other_prefix_is_not_this_one(client, coordinator, twvqrf):
    assert not shown(search(client, "MS-TWVQRF"), twvqrf)


# --- Phones: any run of four or more digits, or a whole number in any format ------------


def test_415_555_finds_the_number_by_area_code_and_exchange(client, coordinator):
    wanted = HelpRequestFactory(phone="+14155550123")
    other = HelpRequestFactory(phone="+12025554155")

    assert finds(client, "415 555", wanted, other)


@pytest.mark.parametrize(
    "typed", ["(202) 555-0101", "202.555.0101", "+1 202 555 0101", "0101", "555-0101"]
)
def test_searching_a_phone_in_any_format_finds_the_request(client, coordinator, typed):
    wanted = HelpRequestFactory(phone="+12025550101")

    assert finds(client, typed, wanted, HelpRequestFactory(phone="+12025550199"))


def test_a_number_saved_in_any_format_is_stored_as_e164_and_found(client, coordinator):
    # As a number assigned outside the forms (the shell, an import) would be.
    wanted = HelpRequestFactory(phone="(202) 555-0177")
    HelpRequestFactory(phone="+12025550199")

    assert HelpRequest.objects.filter(phone__exact="+12025550177").get() == wanted
    assert shown(search(client, "202 555 0177"), wanted)


# --- Speed: the same queries however many match, each kind served by an index ----------


@pytest.mark.parametrize("typed", ["ortiz", "TWVQRF", "415 555", "ana.ortiz@"])
def test_a_search_runs_the_same_number_of_queries_however_many_it_finds(client, coordinator, typed):
    HelpRequestFactory(name="Ana Ortiz", email="ana.ortiz@mail.test", phone="+14155550100")
    search(client, typed)  # the first page after signing in starts the idle clock: a write
    with CaptureQueriesContext(connection) as few:
        search(client, typed)
    HelpRequestFactory.create_batch(
        30, name="Ana Ortiz", email="ana.ortiz@mail.test", phone="+14155550100"
    )
    with CaptureQueriesContext(connection) as many:
        search(client, typed)

    assert len(many) == len(few)


@pytest.mark.parametrize(
    "typed, index",
    [
        ("maria", "helprequest_name_trgm"),
        ("415 555", "helprequest_phone_trgm"),
        ("TWVQRF", "intake_helprequest_reference_"),  # the unique field's own index
        ("ana.ortiz@", "helprequest_email_prefix"),
    ],
)
def test_each_kind_of_search_can_be_answered_from_its_index(typed, index):
    # On a table this small PostgreSQL rightly reads every row; forbid that to see that the
    # index matches the query's expression (or a large table would be read row by row).
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = HelpRequest.objects.staff_search(typed).order_by().explain()

    assert index in plan
