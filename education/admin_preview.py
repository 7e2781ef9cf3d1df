"""Staff-only preview of a guide as visitors would see it: its draft (or the guide as
stored), or what the change form holds before it is saved. GuideAdmin inherits this.

Addresses, under /admin/education/guide/:
  <id>/preview/          GET: the staff bar over the page, at phone or desktop width;
                         POST: the change form's unsaved fields, kept briefly, then shown
  add/preview/           POST: the same for a guide not created yet
  preview/<key>/         GET: unsaved fields, shown as above
  …/page/                the page itself, which only the bar's frame shows
The unsaved fields are kept in the staff member's own session under a random key, never in
an address, and only the last few are kept.
"""

import secrets

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse

from education.admin_drafts import sources_posted
from education.models import Guide, Source
from education.revisions import content_of
from education.views_preview import frame_page, guide_page

SESSION_KEY = "guide_previews"
KEPT_PREVIEWS = 5

DRAFT = "Preview of unpublished changes — not on the site"
UNSAVED = "Preview of the form as it is now, saved or not — not on the site"
NOT_LIVE = "Preview of a guide that is not on the site"
LIVE = "Preview of the guide as it is on the site"


class PreviewMixin:
    """Preview addresses, the change form's Preview button, and "View on site"."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        name = f"{self.opts.app_label}_{self.opts.model_name}_preview"
        return [
            path("add/preview/", wrap(self.preview_posted), name=f"{name}_add"),
            path("preview/<str:key>/", wrap(self.preview_unsaved), name=f"{name}_unsaved"),
            path(
                "preview/<str:key>/page/",
                wrap(self.preview_unsaved_page),
                name=f"{name}_unsaved_page",
            ),
            path("<path:object_id>/preview/", wrap(self.preview), name=name),
            path("<path:object_id>/preview/page/", wrap(self.preview_page), name=f"{name}_page"),
            *super().get_urls(),
        ]

    def view_on_site(self, guide):
        """A published guide's public page; any other guide's preview, since its public
        address answers 404 until it is published."""
        if guide.status == Guide.Status.PUBLISHED:
            return guide.get_absolute_url()
        return self._preview_url("", guide.pk)

    def render_change_form(self, request, context, add=False, change=False, form_url="",
                           obj=None):  # fmt: skip
        # For the Preview button (admin/education/guide/preview_button.html).
        context["guide_preview_url"] = (
            self._preview_url("", obj.pk) if obj is not None else self._preview_url("_add")
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # The guide's draft, or the guide as stored.

    def preview(self, request, object_id):
        if request.method == "POST":
            return self.preview_posted(request, object_id)
        guide = self._viewable_guide(request, object_id)
        if guide.draft_id:
            heading = DRAFT
        else:
            heading = LIVE if guide.status == Guide.Status.PUBLISHED else NOT_LIVE
        return frame_page(
            request, heading=heading, guide_title=self._content(guide)["title"],
            page_url=self._preview_url("_page", guide.pk), phone=_phone(request),
            back_url=self._guide_url(guide.pk), back_text="Back to the guide",
        )  # fmt: skip

    def preview_page(self, request, object_id):
        guide = self._viewable_guide(request, object_id)
        return guide_page(request, content=self._content(guide), pk=guide.pk)

    # What the change form holds now, saved or not.

    def preview_posted(self, request, object_id=None):
        """Keep the form's fields briefly and show them (303: a reload does not post again)."""
        if request.method != "POST":
            raise Http404
        guide = self._viewable_guide(request, object_id) if object_id else None
        if guide is None and not self.has_view_permission(request):
            raise PermissionDenied
        content, problems = self._posted_content(request, guide)
        key = secrets.token_urlsafe(16)
        kept = request.session.get(SESSION_KEY, {})
        kept[key] = {"guide": guide and guide.pk, "content": content, "problems": problems}
        request.session[SESSION_KEY] = dict(list(kept.items())[-KEPT_PREVIEWS:])
        return HttpResponseRedirect(self._preview_url("_unsaved", key), status=303)

    def preview_unsaved(self, request, key):
        kept = self._kept(request, key)
        # Opened in a tab of its own: the form, with the changes, is still in the first one.
        return frame_page(
            request, heading=UNSAVED, guide_title=kept["content"]["title"],
            page_url=self._preview_url("_unsaved_page", key), phone=_phone(request),
            problems=kept["problems"],
        )  # fmt: skip

    def preview_unsaved_page(self, request, key):
        kept = self._kept(request, key)
        return guide_page(request, content=kept["content"], pk=kept["guide"])

    # Helpers.

    def _viewable_guide(self, request, object_id) -> Guide:
        guide = self.get_object(request, unquote(str(object_id)))
        if guide is None:
            raise Http404("No such guide.")
        if not self.has_view_permission(request, guide):
            raise PermissionDenied
        return guide

    def _kept(self, request, key) -> dict:
        if not self.has_view_permission(request):
            raise PermissionDenied
        kept = request.session.get(SESSION_KEY, {}).get(key)
        if kept is None:  # another person's, or long gone: a preview is shown once per session
            raise Http404("This preview has expired: press Preview on the guide again.")
        return kept

    @staticmethod
    def _content(guide: Guide) -> dict:
        return guide.draft.content if guide.draft_id else content_of(guide)

    def _posted_content(self, request, guide: Guide | None) -> tuple[dict, list[str]]:
        """The form's fields as revision content, and what it could not take, in words.
        A field with a mistake is left empty, not shown with what was saved before."""
        change = guide is not None
        instance = guide if change else self.model()
        form = self.get_form(request, guide, change=change)(
            request.POST, request.FILES, instance=instance
        )
        # The admin's own way to build the inlines from the post: the same prefixes, and
        # the rows the change form showed (admin_drafts.py).
        formsets, _inlines = self._create_formsets(request, instance, change=change)
        form.is_valid()
        content = content_of(instance)
        problems = []
        for name, errors in form.errors.items():
            if name in content:
                content[name] = None
            label = form.fields[name].label if name in form.fields else "Guide"
            problems += [f"{label}: {error}" for error in errors]
        if "related" in form.cleaned_data:
            content["related"] = sorted(other.pk for other in form.cleaned_data["related"])
        for formset in formsets:
            if formset.model is Source:
                problems += _row_problems(formset)
                content["sources"] = sources_posted(formset)
        return content, problems

    def _preview_url(self, suffix: str, *args) -> str:
        return reverse(f"admin:education_guide_preview{suffix}", args=args)

    def _guide_url(self, pk) -> str:
        return reverse("admin:education_guide_change", args=[pk])


def _phone(request) -> bool:
    return request.GET.get("width") == "phone"


def _row_problems(formset) -> list[str]:
    """A sources row's mistakes, in words: the preview shows what the row had before."""
    formset.is_valid()
    problems = [f"Sources: {error}" for error in formset.non_form_errors()]
    for number, form in enumerate(formset.forms, start=1):
        problems += [
            f"Source {number}: {error}" for errors in form.errors.values() for error in errors
        ]
    return problems
