"""A guide's history in the admin: its revisions, a comparison of any two, putting one back
as a draft, and when the worker publishes or unpublishes it. GuideAdmin inherits this."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format

from education import revisions
from education.models import Guide, GuideRevision, Reviewer, Topic
from education.services import revision_revert, schedule_set

REVISIONS_PER_PAGE = 20
PUBLISH_PERMISSION = "education.publish_guide"


def _moment(value: datetime.datetime | None) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else ""


def _who(revision: GuideRevision) -> str:
    if revision.author is None:
        # No one was signed in: the task worker at a set time, or the shipped guides' loader.
        return "Automatic"
    return revision.author.get_full_name() or revision.author.get_username()


def readable_contents(*contents: dict) -> list[dict]:
    """The contents as people read them: topic, reviewer and related guides by name (one
    query each, whatever the number of contents), yes/no and dates in words."""
    ids = {"topic": set(), "reviewer": set(), "related": set()}
    for content in contents:
        ids["topic"].add(content.get("topic"))
        ids["reviewer"].add(content.get("reviewer"))
        ids["related"].update(content.get("related") or [])
    topics = {t.pk: t.title for t in Topic.objects.filter(pk__in=ids["topic"] - {None})}
    reviewers = {r.pk: str(r) for r in Reviewer.objects.filter(pk__in=ids["reviewer"] - {None})}
    guides = dict(Guide.objects.filter(pk__in=ids["related"]).values_list("pk", "title"))
    readable = []
    for content in contents:
        reviewed_on = content.get("reviewed_on")
        readable.append({
            **content,
            "topic": topics.get(content.get("topic"), "(a topic since deleted)"),
            "reviewer": reviewers.get(content.get("reviewer"), "(a reviewer since deleted)"),
            "related": "\n".join(sorted(
                guides.get(pk, "(a guide since deleted)") for pk in content.get("related") or []
            )),
            "featured": "Yes" if content.get("featured") else "No",
            "reviewed_on": date_format(datetime.date.fromisoformat(reviewed_on))
            if reviewed_on else "",
        })  # fmt: skip
    return readable


# Far enough for any real plan; a later one is a typo (or "never", which is empty).
LATEST_DAYS = 2 * 366


class ScheduleForm(forms.Form):
    """When the task worker publishes or unpublishes the guide, in the clinic's time."""

    publish_at = forms.DateTimeField(
        label="Publish at", required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Leave empty for no set time.",
    )  # fmt: skip
    unpublish_at = forms.DateTimeField(
        label="Unpublish at", required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Leave empty for no set time. Visitors then no longer find the guide.",
    )  # fmt: skip

    def __init__(self, *args, guide: Guide, **kwargs):
        super().__init__(*args, **kwargs)
        self.guide = guide

    def clean(self):
        data = super().clean()
        now = timezone.now()
        for name in ("publish_at", "unpublish_at"):
            if data.get(name) and data[name] <= now:
                self.add_error(name, "That time has already passed. Choose a later time.")
            elif data.get(name) and data[name] > now + datetime.timedelta(days=LATEST_DAYS):
                self.add_error(name, "Please choose a time within the next two years.")
        publish_at, unpublish_at = data.get("publish_at"), data.get("unpublish_at")
        if publish_at and unpublish_at and unpublish_at <= publish_at:
            self.add_error("unpublish_at", "Choose a time after it is published.")
        live = self.guide.status == Guide.Status.PUBLISHED
        if unpublish_at and not live and not publish_at:
            self.add_error("unpublish_at", "This guide is not published, so there is nothing "
                                            "to take off the site. Set a publish time first.")  # fmt: skip
        return data


class HistoryMixin:
    """Revisions, compare, revert and schedule pages for GuideAdmin."""

    def get_urls(self):
        view = self.admin_site.admin_view
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("<path:object_id>/revisions/", view(self.revisions_view),
                 name=f"{name}_revisions"),
            path("<path:object_id>/revisions/compare/", view(self.revision_compare_view),
                 name=f"{name}_revision_compare"),
            path("<path:object_id>/revisions/<int:revision_id>/revert/",
                 view(self.revision_revert_view), name=f"{name}_revision_revert"),
            path("<path:object_id>/revisions/log/", view(self.admin_log_view),
                 name=f"{name}_admin_log"),
            path("<path:object_id>/schedule/", view(self.schedule_view),
                 name=f"{name}_schedule"),
            *super().get_urls(),
        ]  # fmt: skip

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # For the change form (the drafts part renders them): its schedule and history.
        guide = self.get_object(request, object_id)
        if guide is not None:
            extra_context = {**(extra_context or {}), **self._history_links(request, guide)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _history_links(self, request, guide: Guide) -> dict:
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}"
        scheduled = [(label, _moment(moment)) for label, moment in (
            ("Publishes", guide.publish_at), ("Unpublishes", guide.unpublish_at)) if moment]  # fmt: skip
        return {
            "revisions_url": reverse(f"{name}_revisions", args=[guide.pk]),
            "schedule_url": reverse(f"{name}_schedule", args=[guide.pk])
            if request.user.has_perm(PUBLISH_PERMISSION)
            else None,
            "schedule_summary": "; ".join(f"{label} {when}" for label, when in scheduled),
        }

    def history_view(self, request, object_id, extra_context=None):
        # The change form's "History" button leads to the revisions, which link to the log.
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_revisions",
                        object_id)  # fmt: skip

    def admin_log_view(self, request, object_id):
        """Django's own record of who saved what in the admin."""
        return super().history_view(request, object_id)

    def _guide(self, request, object_id, *, change: bool = False) -> Guide:
        guide = self.get_object(request, object_id)
        if guide is None:
            raise Http404("No such guide.")
        allowed = self.has_change_permission if change else self.has_view_or_change_permission
        if not allowed(request, guide):
            raise PermissionDenied
        return guide

    def _page(self, request, guide: Guide, template: str, title: str, **context):
        return TemplateResponse(request, f"admin/education/guide/{template}", {
            **self.admin_site.each_context(request),
            "opts": self.opts, "original": guide, "title": title,
            "revisions_url": self._history_links(request, guide)["revisions_url"],
            **context,
        })  # fmt: skip

    def revisions_view(self, request, object_id):
        guide = self._guide(request, object_id)
        revisions_of_guide = guide.revisions.select_related("author", "approved_by")
        page = Paginator(revisions_of_guide, REVISIONS_PER_PAGE).get_page(request.GET.get("page"))
        published = guide.revisions.filter(kind=GuideRevision.Kind.PUBLISHED).first()
        rows = [{
            "revision": revision,
            "when": _moment(revision.created_at),
            "who": _who(revision),
            "is_published": guide.status == Guide.Status.PUBLISHED and published == revision,
            "is_draft": revision.pk == guide.draft_id,
        } for revision in page]  # fmt: skip
        return self._page(
            request, guide, "revisions.html", f"History of “{guide.title}”",
            page=page, rows=rows, can_revert=self.has_change_permission(request, guide),
            log_url=reverse("admin:education_guide_admin_log", args=[guide.pk]),
        )  # fmt: skip

    def revision_compare_view(self, request, object_id):
        guide = self._guide(request, object_id)
        chosen = {request.GET.get("a"), request.GET.get("b")}
        found = list(guide.revisions.filter(pk__in=[pk for pk in chosen if pk and pk.isdigit()])
                     .select_related("author").order_by("created_at", "pk"))  # fmt: skip
        if len(chosen) != 2 or len(found) != 2:
            messages.error(request, "Choose two different versions to compare.")
            return redirect("admin:education_guide_revisions", guide.pk)
        before, after = found
        changes = revisions.diff(*readable_contents(before.content, after.content))
        return self._page(
            request, guide, "revision_compare.html", f"Compare versions of “{guide.title}”",
            before={"revision": before, "when": _moment(before.created_at), "who": _who(before)},
            after={"revision": after, "when": _moment(after.created_at), "who": _who(after)},
            changes=changes, can_revert=self.has_change_permission(request, guide),
        )  # fmt: skip

    def revision_revert_view(self, request, object_id, revision_id):
        guide = self._guide(request, object_id, change=True)
        revision = get_object_or_404(guide.revisions, pk=revision_id)
        when = _moment(revision.created_at)
        if request.method == "POST":
            revision_revert(guide=guide, revision=revision, actor=request.user)
            if guide.status == Guide.Status.PUBLISHED:
                message = (f"The version of {when} is back as a draft. Visitors see the "
                           "published guide until someone publishes this draft.")  # fmt: skip
            else:
                message = f"The version of {when} is back. The guide is not published."
            messages.success(request, message)
            return redirect("admin:education_guide_change", guide.pk)
        return self._page(
            request, guide, "revision_revert.html", f"Put back the version of {when}?",
            revision=revision, when=when, who=_who(revision),
            live=guide.status == Guide.Status.PUBLISHED,
        )  # fmt: skip

    def schedule_view(self, request, object_id):
        guide = self._guide(request, object_id, change=True)
        if not request.user.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied
        # A set time that has passed (waiting for approval) is not offered again as if new.
        initial = {
            name: when
            for name, when in (
                ("publish_at", guide.publish_at),
                ("unpublish_at", guide.unpublish_at),
            )
            if when and when > timezone.now()
        }
        form = ScheduleForm(request.POST or None, initial=initial, guide=guide)
        if request.method == "POST" and form.is_valid():
            schedule_set(guide=guide, publish_at=form.cleaned_data["publish_at"],
                         unpublish_at=form.cleaned_data["unpublish_at"])  # fmt: skip
            summary = self._history_links(request, guide)["schedule_summary"]
            messages.success(request, f"Times saved: {summary}" if summary else "No set times now.")
            return redirect("admin:education_guide_change", guide.pk)
        return self._page(
            request, guide, "schedule.html", f"Set times for “{guide.title}”", form=form,
            time_zone=timezone.get_current_timezone_name(),
        )  # fmt: skip
