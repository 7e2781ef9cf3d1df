"""Editing a guide safely: drafts of live guides, publishing (now or at a set time),
approval by a clinical reviewer, and reverting to an earlier revision.

The guide's own fields are what visitors see. A change to a published guide is kept as a
draft revision (Guide.draft) until someone publishes it; a guide that is not published
yet is changed in place, each save still kept as a revision.
"""

from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from education.models import Guide, GuideRevision, Reviewer, Source
from education.revisions import content_of, is_medical_change


class ApprovalNeeded(Exception):
    """With the two-person rule on, a medical change waits for a reviewer's approval; or
    the approval itself was refused (the message says why, in our words)."""


def _apply(guide: Guide, content: dict) -> None:
    """Make `content` the guide's own (what visitors see once it is published)."""
    guide.title = content["title"]
    guide.slug = content["slug"]
    guide.topic_id = content["topic"]
    guide.summary = content["summary"]
    guide.body_markdown = content["body_markdown"]
    guide.featured = content["featured"]
    guide.order = content["order"]
    guide.reviewer_id = content["reviewer"]
    reviewed_on = content["reviewed_on"]
    guide.reviewed_on = date.fromisoformat(reviewed_on) if reviewed_on else None
    guide.review_interval_months = content["review_interval_months"]
    guide.save()
    guide.related.set(Guide.objects.filter(pk__in=content["related"]))
    if [list(s) for s in content["sources"]] != content_of(guide)["sources"]:
        guide.sources.all().delete()
        Source.objects.bulk_create(
            Source(
                guide=guide,
                title=title,
                publisher=publisher,
                url=url,
                read_on=read_on or None,
                order=i,
            )
            for i, (title, publisher, url, read_on) in enumerate(content["sources"])
        )


def _live(guide: Guide) -> bool:
    return guide.status == Guide.Status.PUBLISHED


@transaction.atomic
def draft_save(*, guide: Guide, content: dict, author, note: str = "") -> GuideRevision:
    """Keep an editor's changes. On a published guide they wait as its draft; visitors
    keep seeing the published version. On a guide not yet published they are saved to it.

    `content` is education.revisions.content_of() of the form's unsaved guide.
    """
    guide = Guide.objects.select_for_update().get(pk=guide.pk)
    published = content_of(guide)
    revision = GuideRevision.objects.create(
        guide=guide,
        kind=GuideRevision.Kind.DRAFT,
        content=content,
        author=author,
        note=note,
        # A guide not yet on the site goes on it whole when published: all of it is new
        # medical content, for the two-person rule as for any change to a live guide.
        medical_change=not _live(guide) or is_medical_change(published, content),
    )
    # Not save(): its signals would drop every process's kept pages and rebuild the
    # search's words for a change visitors do not see.
    Guide.objects.filter(pk=guide.pk).update(draft=revision)
    guide.draft = revision
    if not _live(guide):
        _apply(guide, content)
    return revision


def needs_approval(guide: Guide) -> bool:
    """With the two-person rule on: the draft changes medical content and no reviewer has
    approved it yet."""
    draft = guide.draft
    return bool(
        settings.GUIDE_TWO_PERSON_RULE
        and draft is not None
        and draft.medical_change
        and draft.approved_at is None
    )


def _own_reviewer(user) -> Reviewer:
    """The clinical reviewer signed in as `user`, or the refusal, in our words."""
    reviewer = Reviewer.objects.filter(user=user, active=True, placeholder=False).first()
    if reviewer is None or not user.has_perm("education.approve_guide"):
        raise ApprovalNeeded("Only a clinical reviewer with their own account can approve.")
    return reviewer


@transaction.atomic
def draft_approve(*, guide: Guide, user) -> GuideRevision:
    """A clinical reviewer approves the draft's medical content as themselves: the draft
    then names them as the guide's reviewer, reviewed today."""
    guide = Guide.objects.select_for_update(of=("self",)).select_related("draft").get(pk=guide.pk)
    reviewer = _own_reviewer(user)
    if guide.draft is None:
        raise ApprovalNeeded("There are no unpublished changes to approve.")
    if guide.draft.author_id == user.pk:
        raise ApprovalNeeded("A second person must approve: you made these changes.")
    draft = guide.draft
    draft.content = {
        **draft.content,
        "reviewer": reviewer.pk,
        "reviewed_on": timezone.localdate().isoformat(),
    }
    draft.approved_by, draft.approved_at = reviewer, timezone.now()
    draft.save(update_fields=["content", "approved_by", "approved_at"])
    if guide.publish_at is not None and guide.publish_at <= timezone.now():
        # Its set time passed while it waited for this approval: publish it now.
        from education.tasks import carry_out_schedule  # the tasks module imports services

        transaction.on_commit(carry_out_schedule.enqueue)
    return draft


@transaction.atomic
def translation_approve(*, guide: Guide, user) -> Reviewer:
    """A clinical reviewer has checked the translation: visitors no longer see it marked as
    awaiting review, and it names them as its reviewer, reviewed today.

    Applied to the guide as published (it changes no words), and to its draft if it has
    one, so that publishing the draft keeps the approval.
    """
    guide = Guide.objects.select_for_update(of=("self",)).select_related("draft").get(pk=guide.pk)
    reviewer = _own_reviewer(user)
    if not guide.awaiting_translation_review:
        raise ApprovalNeeded("This translation is not waiting for a clinical review.")
    today = timezone.localdate()
    guide.awaiting_translation_review = False
    guide.reviewer, guide.reviewed_on = reviewer, today
    guide.save()  # its signal drops the kept pages once this is committed
    if guide.draft is not None:
        guide.draft.content = {
            **guide.draft.content, "reviewer": reviewer.pk, "reviewed_on": today.isoformat()
        }  # fmt: skip
        guide.draft.save(update_fields=["content"])
    return reviewer


@transaction.atomic
def guide_publish(*, guide: Guide, actor) -> GuideRevision:
    """Publish the guide: its draft, if it has one, becomes what visitors see."""
    guide = Guide.objects.select_for_update(of=("self",)).select_related("draft").get(pk=guide.pk)
    if needs_approval(guide):
        raise ApprovalNeeded(
            "These changes alter the guide's medical content: a clinical reviewer must "
            "approve them before they are published."
        )
    draft = guide.draft
    content = draft.content if draft else content_of(guide)
    guide.status = Guide.Status.PUBLISHED
    guide.published_at = timezone.now()
    guide.draft = None
    guide.publish_at = None
    _apply(guide, content)
    return GuideRevision.objects.create(
        guide=guide,
        kind=GuideRevision.Kind.PUBLISHED,
        content=content_of(guide),
        author=actor,
        approved_by=draft.approved_by if draft else None,
        approved_at=draft.approved_at if draft else None,
    )


@transaction.atomic
def guide_unpublish(*, guide: Guide, actor) -> Guide:
    """Take the guide off the site (it stays here, with its draft and history)."""
    guide = Guide.objects.select_for_update().get(pk=guide.pk)
    guide.status = Guide.Status.DRAFT
    guide.unpublish_at = None
    guide.save(update_fields=["status", "unpublish_at", "updated_at"])
    GuideRevision.objects.create(
        guide=guide, kind=GuideRevision.Kind.DRAFT, content=content_of(guide), author=actor,
        note="Unpublished",
    )  # fmt: skip
    return guide


@transaction.atomic
def draft_discard(*, guide: Guide, actor) -> None:
    """Drop the unpublished changes; the published version stays as it is."""
    Guide.objects.filter(pk=guide.pk).update(draft=None, publish_at=None)


@transaction.atomic
def revision_revert(*, guide: Guide, revision: GuideRevision, actor) -> GuideRevision:
    """Put an earlier revision back, as a new draft to review and publish."""
    when = date_format(timezone.localtime(revision.created_at), "DATETIME_FORMAT")
    return draft_save(
        guide=guide, content=revision.content, author=actor,
        note=f"Reverted to the version of {when}",
    )  # fmt: skip


@transaction.atomic
def schedule_set(*, guide: Guide, publish_at: datetime | None = None,
                 unpublish_at: datetime | None = None) -> Guide:  # fmt: skip
    """Set (or clear, with None) when the worker publishes or unpublishes the guide."""
    from education.tasks import carry_out_schedule  # the tasks module imports services

    Guide.objects.filter(pk=guide.pk).update(publish_at=publish_at, unpublish_at=unpublish_at)
    for moment in (publish_at, unpublish_at):
        if moment is not None:
            transaction.on_commit(
                lambda at=moment: carry_out_schedule.using(run_after=at).enqueue()
            )
    guide.publish_at, guide.unpublish_at = publish_at, unpublish_at
    return guide


def scheduled_changes_carry_out(*, now: datetime | None = None) -> dict[str, list[str]]:
    """Publish and unpublish every guide whose set time has come (the worker calls this).
    A publish still waiting for approval stays waiting, and is said so in the result."""
    now = now or timezone.now()
    done = {"published": [], "unpublished": [], "waiting_for_approval": []}
    for guide in Guide.objects.filter(publish_at__lte=now).select_related("draft"):
        try:
            guide_publish(guide=guide, actor=None)
            done["published"].append(guide.slug)
        except ApprovalNeeded:
            done["waiting_for_approval"].append(guide.slug)
    for guide in Guide.objects.filter(unpublish_at__lte=now):
        guide_unpublish(guide=guide, actor=None)
        done["unpublished"].append(guide.slug)
    return done
