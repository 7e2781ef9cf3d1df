"""Editing a guide in the admin through drafts: the change form shows a live guide's
unpublished changes, saving keeps the whole form as a draft (education.services), and its
buttons publish, unpublish, discard or approve. Each is in the guide's admin history (who
and when) beside its revision. GuideAdmin inherits this."""

import datetime

from django.contrib import messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from education import plain_language
from education.models import Guide, Reviewer, Source
from education.revisions import LABELS, changed_fields, content_of
from education.services import publishing
from education.services.publishing import ApprovalNeeded, needs_approval

PUBLISH = "education.publish_guide"
APPROVE = "education.approve_guide"
SOURCE_FIELDS = ("title", "publisher", "url", "read_on")
# Buttons that act on the guide as it is stored, whatever the form around them holds.
STORED_ACTIONS = ("_discard", "_approve", "_unpublish")


def who(user) -> str:
    if user is None:
        return "the task worker"  # a set time, or the shipped guides' loader
    return user.get_full_name() or user.get_username()


def moment(value: datetime.datetime) -> str:
    return date_format(timezone.localtime(value), "j M Y, H:i")


def _comparable(content: dict) -> dict:
    # Browsers send CRLF and the form trims the last newline: neither is an edit.
    return {**content, "body_markdown": content["body_markdown"].replace("\r\n", "\n").strip()}


def shown_content(guide: Guide) -> dict:
    """What the change form shows: the draft if there is one, else the guide itself."""
    if not hasattr(guide, "_shown_content"):
        guide._shown_content = guide.draft.content if guide.draft_id else content_of(guide)
    return guide._shown_content


def with_draft(guide: Guide) -> Guide:
    """The guide with its draft's content on it, in memory only (never saved from here)."""
    content = shown_content(guide)
    for name, value in content.items():
        if name in ("related", "sources"):
            continue  # the form's initial data and the sources' rows: see DraftsMixin
        if name in ("topic", "reviewer"):
            name += "_id"
        elif name == "reviewed_on":
            value = datetime.date.fromisoformat(value) if value else None
        setattr(guide, name, value)
    guide.derive()
    return guide


def source_rows(content: dict) -> list[dict]:
    """A content's sources as the sources inline's initial rows."""
    rows = []
    for order, source in enumerate(content["sources"]):
        row = dict(zip(SOURCE_FIELDS, source, strict=True)) | {"order": order}
        row["read_on"] = datetime.date.fromisoformat(row["read_on"]) if row["read_on"] else None
        rows.append(row)
    return rows


def sources_posted(formset) -> list[list[str]]:
    """The sources as the form sends them. Every row is a new one showing initial values
    (the draft's sources have no rows of their own), and Django leaves a row nobody
    touched uncleaned, so its values are its initial ones."""
    kept = []
    for position, form in enumerate(formset.forms):
        cleaned = getattr(form, "cleaned_data", {})
        values = {**form.initial, **cleaned}
        if cleaned.get("DELETE") or not values.get("title"):
            continue
        read_on = values.get("read_on")
        source = [values.get(name) or "" for name in SOURCE_FIELDS[:3]]
        source.append(read_on.isoformat() if read_on else "")
        kept.append((values.get("order") or 0, position, source))
    return [source for *_, source in sorted(kept, key=lambda row: row[:2])]


class DraftsMixin:
    """Drafts, publishing and approval on the guide's change form."""

    change_form_template = "admin/education/guide/change_form.html"
    change_list_template = "admin/education/guide/change_list.html"

    def get_object(self, request, object_id, from_field=None):
        guide = super().get_object(request, object_id, from_field)
        # Only the change form shows (and posts) the draft: the delete page, the history
        # and the preview work on the guide as stored.
        if guide is not None and (request.resolver_match.url_name or "").endswith("_change"):
            with_draft(guide)
        return guide

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        if obj is None or not obj.draft_id:
            return form_class
        related = shown_content(obj)["related"]

        class DraftForm(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.initial["related"] = related  # not the live guide's, which Django reads

        return DraftForm

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if inline.model is Source:
            # The shown content's sources as new rows: a draft's sources have no rows, and
            # saving never writes rows directly (the services do, on publish).
            kwargs["queryset"] = Source.objects.none()
            kwargs["initial"] = source_rows(shown_content(obj)) if obj and obj.pk else []
        return kwargs

    def save_model(self, request, obj, form, change):
        if not change:
            # A new guide starts unpublished; draft_save then records its first revision.
            obj.status = Guide.Status.DRAFT
            obj.save()

    def save_related(self, request, form, formsets, change):
        guide = form.instance
        before = shown_content(guide) if change else None
        content = {**content_of(guide), "related": (before or {}).get("related", []),
                   "sources": (before or {}).get("sources", [])}  # fmt: skip
        if "related" in form.cleaned_data:
            content["related"] = sorted(other.pk for other in form.cleaned_data["related"])
        # Every source row is a new one (see get_formset_kwargs): someone who may not add
        # sources sees them read-only, and keeps them as shown.
        if request.user.has_perm("education.add_source"):
            for formset in formsets:
                if formset.model is Source:
                    content["sources"] = sources_posted(formset)
        changed = (
            [] if before is None else changed_fields(_comparable(before), _comparable(content))
        )
        if before is None or changed:
            publishing.draft_save(guide=guide, content=content, author=request.user)
            self._warn_plain_language(request, guide.title, content["body_markdown"])
        to_publish = "_publish" in request.POST and request.user.has_perm(PUBLISH)
        form.log_message = self._saved(request, guide, changed, added=before is None,
                                       quiet=to_publish)  # fmt: skip
        if to_publish and self._publish(request, guide):
            form.log_message = "; ".join(filter(None, ["Published", form.log_message]))

    def _saved(self, request, guide, changed, *, added, quiet) -> str:
        """Say what the save did (unless a publish follows, which says it); the history's words."""
        guide.refresh_from_db(fields=["status", "draft"])
        live = guide.status == Guide.Status.PUBLISHED
        if added:
            said, logged = (
                f"“{guide.title}” is saved. It is not published yet.",
                "Added (not published)",
            )
        elif not changed:
            said, logged = "Nothing had changed, so nothing was saved.", ""
        elif live:
            said = ("Draft saved. Visitors still see the published version until someone "
                    "publishes these changes.")  # fmt: skip
            logged = f"Saved a draft: {', '.join(LABELS[name] for name in changed)}"
        else:
            said = "Saved. The guide is not published yet."
            logged = f"Changed (not published): {', '.join(LABELS[name] for name in changed)}"
        if not quiet:
            level = messages.SUCCESS if added or changed else messages.INFO
            messages.add_message(request, level, said)
        return logged

    def _publish(self, request, guide) -> bool:
        try:
            publishing.guide_publish(guide=guide, actor=request.user)
        except ApprovalNeeded as refusal:
            messages.error(request, f"Saved as a draft but not published. {refusal}")
            return False
        messages.success(request, "Published: visitors see this version now.")
        return True

    def _warn_plain_language(self, request, title, body_markdown):
        report = plain_language.check_markdown(body_markdown)
        if report.ok:
            return
        # Said at once, on whichever page the editor lands: the box on the form is easy to miss.
        problems = [f"“{word}” (say {instead})" for word, instead in report.flagged_words]
        if report.long_sentences:
            problems.insert(0, f"{len(report.long_sentences)} sentence(s) over 25 words")
        if report.grade > plain_language.MAX_GRADE:
            problems.insert(0, f"reading grade {report.grade}")
        messages.warning(
            request,
            f"“{title}” needs plain-language work: {'; '.join(problems)}. "
            "See “Plain language” on the guide.",
        )

    def construct_change_message(self, request, form, formsets, add=False):
        return getattr(form, "log_message", "")

    def log_change(self, request, obj, message):
        if message:  # saving an unchanged form is not a change
            return super().log_change(request, obj, message)
        return None

    def response_add(self, request, obj, post_url_continue=None):
        if IS_POPUP_VAR in request.POST:
            return super().response_add(request, obj, post_url_continue)
        return redirect(self._change_url(obj.pk))

    def response_change(self, request, obj):
        if IS_POPUP_VAR in request.POST:
            return super().response_change(request, obj)
        return redirect(self._change_url(obj.pk))

    def _change_url(self, pk) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[pk])

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            for action in STORED_ACTIONS:
                if action in request.POST:
                    return self._stored_action(request, object_id, action)
            if "_publish" in request.POST and not request.user.has_perm(PUBLISH):
                raise PermissionDenied
        guide = Guide.objects.select_related("draft__author", "draft__approved_by").filter(
            pk=object_id
        ).first() if str(object_id).isdigit() else None  # fmt: skip
        if guide is not None:
            extra_context = {**(extra_context or {}), **self._editing(request, guide)}
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "editing": {"can_change": True}}
        return super().add_view(request, form_url, extra_context)

    def _reviewer(self, user) -> Reviewer | None:
        if not user.has_perm(APPROVE):
            return None
        return Reviewer.objects.filter(user=user, active=True, placeholder=False).first()

    def _editing(self, request, guide: Guide) -> dict:
        """What the change form says about the guide and which buttons it offers."""
        draft, live = guide.draft, guide.status == Guide.Status.PUBLISHED
        waiting = needs_approval(guide)
        reviewer = self._reviewer(request.user) if waiting else None
        return {"editing": {
            "live": live, "draft": draft,
            "draft_by": who(draft.author) if draft else "",
            "draft_at": moment(draft.created_at) if draft else "",
            "published_on": date_format(timezone.localtime(guide.published_at))
            if guide.published_at else "",
            "approved": draft.approved_by if draft and draft.approved_at else None,
            "approved_on": date_format(timezone.localtime(draft.approved_at))
            if draft and draft.approved_at else "",
            "waiting": waiting,
            "can_change": self.has_change_permission(request, guide),
            "can_publish": request.user.has_perm(PUBLISH) and not waiting,
            "can_unpublish": request.user.has_perm(PUBLISH) and live,
            "approve_as": reviewer.name if reviewer and draft.author_id != request.user.pk
            else "",
        }}  # fmt: skip

    def _stored_action(self, request, object_id, action):
        guide = get_object_or_404(Guide.objects.select_related("draft"), pk=object_id)
        if not self.has_change_permission(request, guide):
            raise PermissionDenied
        if action == "_discard":
            publishing.draft_discard(guide=guide, actor=request.user)
            messages.success(request, "Draft discarded. The published version is unchanged.")
            self.log_change(request, guide, "Discarded the draft")
        elif action == "_unpublish":
            if not request.user.has_perm(PUBLISH):
                raise PermissionDenied
            publishing.guide_unpublish(guide=guide, actor=request.user)
            messages.success(request, "Unpublished: visitors no longer find this guide.")
            self.log_change(request, guide, "Unpublished")
        else:
            try:
                draft = publishing.draft_approve(guide=guide, user=request.user)
            except ApprovalNeeded as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(
                    request, f"Approved as {draft.approved_by.name}. Once published, the guide "
                    "names you as its reviewer, reviewed today.",
                )  # fmt: skip
                self.log_change(request, guide, f"Approved the draft as {draft.approved_by.name}")
        return redirect(self._change_url(guide.pk))
