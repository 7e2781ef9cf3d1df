"""A backup restores into a fresh database with every request in it."""

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from intake.models import HelpRequest
from recovery_site.backup import connection_uri, restore
from tests.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_backup_restores_with_every_request(tmp_path):
    HelpRequestFactory.create_batch(25)
    references = set(HelpRequest.objects.values_list("reference", flat=True))
    backup = tmp_path / "clinic.dump"
    call_command("backup_database", output=backup)
    fresh = "restore_check"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {fresh}")
        cursor.execute(f"CREATE DATABASE {fresh}")
    try:
        restore(backup, database=fresh)

        with psycopg.connect(connection_uri(fresh)) as restored:
            rows = restored.execute("SELECT reference FROM intake_helprequest").fetchall()
        assert {reference for (reference,) in rows} == references
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {fresh}")
