"""Arbitrary input never breaks the forms: no 500, and nothing stored unless it is valid."""

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from intake.models import HelpRequest
from tests.helpers import form_token

pytestmark = pytest.mark.django_db

CONTACT_FIELDS = ["name", "email", "phone", "message", "leave_blank", "source_page", "form_token"]
CONSULTATION_FIELDS = [
    "name", "phone", "email", "preferred_contact", "contact_window", "voicemail_ok",
    "who_needs_help", "substances", "program", "insurance", "insurance_provider", "state",
    "message", "consent_contact", "consent_sms", "leave_blank", "source_page", "form_token",
]  # fmt: skip

any_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=2000, max_size=6000),
    st.sampled_from(["", " ", "\x00", "call", "yes", "on", "ME", "heroin", "+12025550143"]),
)
FUZZ = hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@pytest.fixture(autouse=True)
def _no_submission_limit(settings):
    # Hundreds of posts from one test client; the limit has tests of its own.
    settings.INTAKE_RATE_LIMIT = 1_000_000


def fuzzed_form(fields):
    return st.dictionaries(st.sampled_from(fields), any_text, max_size=len(fields))


@pytest.mark.parametrize(
    ("path", "fields"), [("/contact/", CONTACT_FIELDS), ("/consultation/", CONSULTATION_FIELDS)]
)
@FUZZ
@given(data=st.data())
def test_each_form_survives_anything(client, path, fields, data):
    before = HelpRequest.objects.count()

    response = client.post(path, data.draw(fuzzed_form(fields)))

    assert response.status_code in {200, 302, 303, 413}
    if response.status_code != 302:  # an invalid form, or a post too large to read
        assert HelpRequest.objects.count() == before
    if response.status_code == 200:
        assert b'id="error-summary"' in response.content
    if response.status_code == 303:  # an invalid form, shown on the page it redirects to
        assert b'id="error-summary"' in client.get(response["Location"]).content


@FUZZ
@given(field=st.sampled_from(["name", "message", "email"]), value=any_text)
def test_one_odd_field_in_an_otherwise_valid_message(client, contact_data, field, value):
    data = {**contact_data, field: value, "form_token": form_token()}
    before = HelpRequest.objects.count()

    response = client.post("/contact/", data)

    assert response.status_code in {200, 302, 303, 413}
    stored = HelpRequest.objects.count() - before
    assert stored == (1 if response.status_code == 302 else 0)
    if stored:
        saved = HelpRequest.objects.latest("pk")
        assert "\x00" not in saved.name + saved.message + saved.email
