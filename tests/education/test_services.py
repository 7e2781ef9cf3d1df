"""Loading the starting guides: idempotent, and never over a staff edit."""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from education.models import Guide, Topic
from education.services import CONTENT_DIR, guides_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(tmp_path) -> Path:
    """A copy of the shipped content that a test may change."""
    shutil.copytree(CONTENT_DIR, tmp_path / "content")
    return tmp_path / "content"


def shipped_guides():
    """The slugs of the shipped guide files, English ones and their translations alike."""
    return sorted(p.stem for p in (CONTENT_DIR / "guides").glob("**/*.md"))


def test_loading_creates_every_shipped_guide_published_with_sources_and_related_guides():
    report = guides_load()

    assert sorted(report.created) == shipped_guides()
    assert len(shipped_guides()) >= 5
    assert Topic.objects.count() >= 2
    for guide in Guide.objects.all():
        assert guide.status == Guide.Status.PUBLISHED
        assert guide.sources.exists(), guide.slug
        # A translation takes its related guides from its original.
        assert guide.original.related.exists(), guide.slug
        assert len(guide.toc) >= 3, guide.slug


def test_loading_twice_changes_nothing():
    guides_load()
    before = {g.slug: g.updated_at for g in Guide.objects.all()}

    report = guides_load()

    assert report.created == [] and report.updated == []
    assert {g.slug: g.updated_at for g in Guide.objects.all()} == before
    assert Guide.objects.count() == len(shipped_guides())


def test_a_staff_edit_is_never_overwritten(content):
    guides_load(directory=content)
    guide = Guide.objects.get(seed_key="heroin-withdrawal")
    guide.title = "Withdrawal, as our nurses explain it"
    guide.slug = "withdrawal"
    guide.save()
    path = content / "guides" / "heroin-withdrawal.md"
    path.write_text(path.read_text() + "\nA sentence the clinic added to its file.\n")

    report = guides_load(directory=content)

    guide.refresh_from_db()
    assert report.kept_staff_edits == ["withdrawal"]
    assert guide.title == "Withdrawal, as our nurses explain it"
    assert "A sentence the clinic added" not in guide.body_markdown
    assert Guide.objects.count() == len(shipped_guides())


def test_a_staff_edit_to_sources_is_kept_too(content):
    guides_load(directory=content)
    guide = Guide.objects.get(seed_key="heroin-withdrawal")
    guide.sources.update(title="A newer edition")
    path = content / "guides" / "heroin-withdrawal.md"
    path.write_text(path.read_text() + "\nA sentence the clinic added to its file.\n")

    guides_load(directory=content)

    assert guide.sources.filter(title="A newer edition").exists()


def test_an_untouched_guide_follows_its_updated_file(content):
    guides_load(directory=content)
    path = content / "guides" / "heroin-withdrawal.md"
    path.write_text(path.read_text() + "\nA sentence the clinic added to its file.\n")

    report = guides_load(directory=content)

    assert report.updated == ["heroin-withdrawal"]
    assert (
        "A sentence the clinic added" in Guide.objects.get(slug="heroin-withdrawal").body_markdown
    )


def test_a_broken_file_is_reported_by_name_and_loads_nothing(content):
    (content / "guides" / "zz-broken.md").write_text("no front matter here")

    with pytest.raises(CommandError, match=r"zz-broken\.md"):
        call_command("load_guides", directory=content)

    assert not Guide.objects.exists()


def test_a_guide_staff_deleted_stays_deleted(content):
    guides_load(directory=content)
    Guide.objects.get(seed_key="signs-of-heroin-use").delete()

    report = guides_load(directory=content)

    assert report.deleted_by_staff == ["signs-of-heroin-use"]
    assert not Guide.objects.filter(seed_key="signs-of-heroin-use").exists()


def test_saving_a_guide_unchanged_in_the_admin_is_not_an_edit(client, admin_user, content):
    guides_load(directory=content)
    guide = Guide.objects.get(seed_key="heroin-withdrawal")
    client.force_login(admin_user)
    page = client.get(f"/admin/education/guide/{guide.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["body_markdown"] = guide.body_markdown.replace("\n", "\r\n").strip()  # as browsers send
    data["related"] = [other.pk for other in guide.related.all()]
    inline = page.context["inline_admin_formsets"][0].formset
    data.update({f"sources-{k}": v for k, v in inline.management_form.initial.items()})
    for i, source in enumerate(guide.sources.all()):
        data.update({f"sources-{i}-id": source.pk, f"sources-{i}-guide": guide.pk,
                     f"sources-{i}-title": source.title, f"sources-{i}-publisher": source.publisher,
                     f"sources-{i}-url": source.url, f"sources-{i}-read_on": source.read_on,
                     f"sources-{i}-order": source.order})  # fmt: skip
    data["sources-TOTAL_FORMS"] = guide.sources.count()
    response = client.post(f"/admin/education/guide/{guide.pk}/change/", data)
    assert response.status_code == 302
    path = content / "guides" / "heroin-withdrawal.md"
    path.write_text(path.read_text() + "\nA sentence the clinic added to its file.\n")

    report = guides_load(directory=content)

    assert report.updated == ["heroin-withdrawal"]
