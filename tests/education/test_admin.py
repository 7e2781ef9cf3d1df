"""Content staff edit guides in the admin; what they write is rendered safely on save."""

import pytest

from education.models import Guide
from tests.factories import GuideFactory, SourceFactory
from tests.helpers import change_form_data

pytestmark = pytest.mark.django_db


def test_staff_edit_a_guide_publish_it_and_visitors_see_the_new_text(client, admin_user):
    guide = GuideFactory(slug="withdrawal")
    client.force_login(admin_user)

    response = client.post(
        f"/admin/education/guide/{guide.pk}/change/",
        change_form_data(
            guide,
            body_markdown="## What to expect\n\nUpdated by our nurses. <script>x()</script>",
            **{
                "sources-0-title": "TIP 63",
                "sources-0-publisher": "SAMHSA",
                "sources-0-url": "https://library.samhsa.gov/product/pep21-02-01-002",
                "sources-0-read_on": "2026-11-01",
                "_publish": "Publish",
            },
        ),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get("/learn/withdrawal/").content.decode()
    assert "Updated by our nurses." in page
    assert "<script>x()" not in page
    assert "TIP 63" in page


def test_the_guide_list_in_the_admin_loads(client, admin_user):
    SourceFactory.create_batch(3)
    client.force_login(admin_user)

    response = client.get("/admin/education/guide/")

    assert response.status_code == 200
    for guide in Guide.objects.all():
        assert f"/admin/education/guide/{guide.pk}/change/" in response.content.decode()
