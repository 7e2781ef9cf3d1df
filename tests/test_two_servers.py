"""Two web servers, one database: a visitor's limit and a staff session hold on both."""

import os

import pytest
from django.db import connection

from recovery_site import roles
from recovery_site.backup import connection_uri
from tests.factories import user_in_role
from tests.helpers import form_token
from tests.servers import Browser, start_gunicorn, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_servers():
    """Two gunicorn servers, as in production, on the test database."""
    env = {
        **os.environ,
        "DJANGO_ENV": "test",
        "DATABASE_URL": connection_uri(connection.settings_dict["NAME"]),
        "INTAKE_RATE_LIMIT": "2",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    servers, urls = zip(*(start_gunicorn(env) for _ in range(2)), strict=True)
    for url in urls:
        wait_for(f"{url}/healthz")
    yield urls
    for server in servers:
        server.terminate()
        server.wait(timeout=10)


def test_a_visitors_limit_is_shared_by_both_servers(two_servers):
    first, second = two_servers
    visitor = Browser()

    def message(number):
        # Each one confirmed with "Send now", as the site asks a visitor who sends again.
        return {"name": "Sam", "email": "sam@example.com", "message": f"Message {number}",
                "form_token": form_token(confirm=True)}  # fmt: skip

    statuses = [
        visitor.post(f"{first}/contact/", message(1))[0],
        visitor.post(f"{second}/contact/", message(2))[0],
        visitor.post(f"{first}/contact/", message(3))[0],
        visitor.post(f"{second}/contact/", message(4))[0],
    ]

    assert statuses == [302, 302, 429, 429]


def test_a_staff_session_started_on_one_server_works_on_the_other(two_servers, staff_roles):
    first, second = two_servers
    user_in_role(roles.COORDINATORS, username="casey")
    staff = Browser()

    status, _ = staff.post(
        f"{first}/admin/login/?next=/admin/",
        {"username": "casey", "password": "correct horse battery staple", "next": "/admin/"},
    )
    assert status == 302

    status, page = staff.get(f"{second}/admin/intake/helprequest/")
    assert status == 200 and "Requests for help" in page
