"""The message and health answers are encrypted at rest; keys rotate without losing data."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from intake import crypto
from intake.models import HelpRequest
from recovery_site import roles
from tests.factories import HelpRequestFactory, user_in_role

pytestmark = pytest.mark.django_db

PROTECTED = ["message", "substances", "program", "insurance", "insurance_provider"]


def raw_row(help_request):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, phone, email, message, substances, program, insurance, "
            "insurance_provider FROM intake_helprequest WHERE id = %s",
            [help_request.pk],
        )
        columns = [c.name for c in cursor.description]
        return dict(zip(columns, cursor.fetchone(), strict=True))


@pytest.fixture
def sensitive_request():
    return HelpRequestFactory(
        name="Robin Example",
        message="I have used heroin daily for two years",
        substances=["heroin", "fentanyl"],
        program="mat",
        insurance="medicaid_medicare",
        insurance_provider="Acme Health",
    )


def test_health_answers_are_unreadable_in_the_database(sensitive_request):
    row = raw_row(sensitive_request)

    for column in PROTECTED:
        assert row[column].startswith("enc2:"), column
    text = " ".join(row[c] for c in PROTECTED)
    for secret in ("heroin", "fentanyl", "mat", "medicaid", "Acme", "two years"):
        assert secret not in text
    assert row["name"] == "Robin Example" and row["phone"].startswith("+1")


def test_staff_read_them_as_written(sensitive_request):
    loaded = HelpRequest.objects.get(pk=sensitive_request.pk)

    assert loaded.message == "I have used heroin daily for two years"
    assert loaded.substances == ["heroin", "fentanyl"]
    assert loaded.get_program_display() == "Medications for opioid use disorder (MOUD)"
    assert loaded.insurance_provider == "Acme Health"


def test_a_new_key_first_still_reads_old_rows_and_reencrypt_moves_them(sensitive_request, settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    assert HelpRequest.objects.get(pk=sensitive_request.pk).message.startswith("I have used")

    call_command("reencrypt_intake")

    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is gone
    loaded = HelpRequest.objects.get(pk=sensitive_request.pk)
    assert loaded.message.startswith("I have used") and loaded.substances == ["heroin", "fentanyl"]


def test_without_the_right_key_reading_fails_loudly(sensitive_request, settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(ValueError, match="FIELD_ENCRYPTION_KEYS"):
        HelpRequest.objects.get(pk=sensitive_request.pk)


def test_staff_can_still_filter_the_queue_by_program(client, sensitive_request):
    other = HelpRequestFactory(program="detox")
    client.force_login(user_in_role(roles.COORDINATORS, username="casey"))

    html = client.get("/admin/intake/helprequest/", {"program": "mat"}).content.decode()

    assert f"/{sensitive_request.pk}/change/" in html
    assert f"/{other.pk}/change/" not in html


def test_name_phone_and_email_stay_searchable(client, sensitive_request):
    client.force_login(user_in_role(roles.COORDINATORS, username="casey"))

    html = client.get("/admin/intake/helprequest/", {"q": "Robin"}).content.decode()

    assert f"/{sensitive_request.pk}/change/" in html


def encrypted_lengths(**answers) -> set[int]:
    """The stored lengths of one answer's every value, as a thief with the database sees."""
    lengths = set()
    field = next(iter(answers))
    for value in answers[field]:
        help_request = HelpRequestFactory(**{field: value})
        lengths.add(len(raw_row(help_request)[field]))
    return lengths


def test_the_length_of_a_stored_answer_does_not_give_it_away():
    every_substance_list = [
        [],
        ["heroin"],
        ["heroin", "fentanyl"],
        [s for s, _ in HelpRequest.Substance.choices],
    ]

    assert len(encrypted_lengths(insurance=[v for v, _ in HelpRequest.Insurance.choices])) == 1
    assert len(encrypted_lengths(program=[v for v, _ in HelpRequest.Program.choices])) == 1
    assert len(encrypted_lengths(substances=every_substance_list[1:])) == 1
    assert len(encrypted_lengths(message=["Help", "I need help with my son, today please"])) == 1


def test_values_written_before_padding_still_read_and_reencrypt_pads_them(sensitive_request):
    old_style = crypto.PREFIX + crypto.fernet().encrypt(b"Acme Health").decode()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE intake_helprequest SET insurance_provider = %s WHERE id = %s",
            [old_style, sensitive_request.pk],
        )
    assert HelpRequest.objects.get(pk=sensitive_request.pk).insurance_provider == "Acme Health"

    call_command("reencrypt_intake")

    assert raw_row(sensitive_request)["insurance_provider"].startswith("enc2:")
    assert HelpRequest.objects.get(pk=sensitive_request.pk).insurance_provider == "Acme Health"
