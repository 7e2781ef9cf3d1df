"""What a member of staff typed on a request's page is never lost to the idle limit.

The page carries a signed field naming its reader (`unsaved_change_key`, rendered by the
`intake_unsaved` template tags). A save that arrives after their session ended is caught by
`UnsavedChangesMiddleware` before the admin would answer it with the sign-in page: the
posted fields are kept, encrypted, as an UnsavedChange for that person and request, and the
sign-in page says so. Once signed in again, `RestoreUnsavedMixin` fills the request's page
with them, once. The idle warning's "Stay signed in" calls `keep_alive`.
"""

import json
from datetime import timedelta

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from intake.models import AuditEntry, HelpRequest, UnsavedChange
from intake.services import audit_record
from recovery_site.middleware import restart_idle_clock

# The hidden field's name; it starts with "_" like the admin's own buttons, so no form
# ever mistakes it for one of its fields.
KEY_FIELD = "_unsaved_key"
SALT = "intake.unsaved_changes"
# Never kept: the CSRF token (useless later) and the key itself.
NOT_KEPT = {"csrfmiddlewaretoken", KEY_FIELD}
# A request page posts a few kilobytes (a note is at most 4,000 characters); a body that
# makes more than this much JSON is not a page we drew, and is not kept.
MAX_KEPT_CHARACTERS = 32_000
CHANGE_PAGE = "admin:intake_helprequest_change"


def unsaved_change_key(*, user, help_request) -> str:
    """The signed value that lets a save after the idle limit be kept for `user`."""
    return signing.dumps({"user": user.pk, "request": help_request.pk}, salt=SALT)


def _kept_hours() -> timedelta:
    return timedelta(hours=settings.UNSAVED_CHANGE_HOURS)


def _staff_member_of_key(key: str, help_request_pk: int):
    """The active staff member a key names, if it is ours, recent, and for this request."""
    try:
        payload = signing.loads(key, salt=SALT, max_age=_kept_hours())
    except signing.BadSignature:  # SignatureExpired included
        return None
    if not isinstance(payload, dict) or payload.get("request") != help_request_pk:
        return None
    return (
        get_user_model()
        .objects.filter(pk=payload.get("user"), is_active=True, is_staff=True)
        .first()
    )


def unsaved_change_keep(*, user, help_request: HelpRequest, fields: dict) -> UnsavedChange:
    """Keep what `user` posted to `help_request`'s page (replacing anything kept before),
    and record that it was kept: the reference and field names, never a value."""
    now = timezone.now()
    with transaction.atomic():
        kept, _ = UnsavedChange.objects.update_or_create(
            user=user,
            help_request=help_request,
            defaults={
                "data": json.dumps(fields),
                "kept_at": now,
                "expires_at": now + _kept_hours(),
            },
        )
        audit_record(
            actor=user,
            action=AuditEntry.Action.CHANGE,
            reference=help_request.reference,
            details={"operation": "kept unsaved changes after the session ended",
                     "fields": sorted(fields)},
        )  # fmt: skip
    return kept


def unsaved_change_take(*, user, help_request: HelpRequest) -> tuple[QueryDict, object] | None:
    """What `user` typed on this request's page and when, deleted as it is taken; None when
    nothing (unexpired) is kept, or it was encrypted with a key since retired."""
    with transaction.atomic():
        kept = (
            UnsavedChange.objects.select_for_update()
            .filter(user=user, help_request=help_request, expires_at__gt=timezone.now())
            .values("pk", "kept_at")
            .first()
        )
        if kept is None:
            return None
        try:
            fields = json.loads(UnsavedChange.objects.get(pk=kept["pk"]).data)
        except ValueError:
            fields = None
        UnsavedChange.objects.filter(pk=kept["pk"]).delete()
    if fields is None:
        return None
    data = QueryDict(mutable=True)
    for name, values in fields.items():
        data.setlist(name, values)
    return data, kept["kept_at"]


def unsaved_changes_purge_expired() -> int:
    """Delete what nobody came back for in time (housekeeping runs this hourly)."""
    deleted, _ = UnsavedChange.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


class UnsavedChangesMiddleware:
    """A save to a request's page from someone no longer signed in: keep what they typed
    and send them to sign in, rather than let the admin throw it away.

    Runs (as every middleware's __call__ does) before CSRF's check: after the idle limit the
    check may refuse the post, and what was typed would be lost. The signed key stands in
    for the token here: only the page drawn for that person holds it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and not admin.site.has_permission(request):
            response = self._keep(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _keep(self, request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.view_name != CHANGE_PAGE or KEY_FIELD not in request.POST:
            return None
        help_request = HelpRequest.objects.filter(pk=_int_or_none(match.kwargs["object_id"]))
        help_request = help_request.only("pk", "reference").first()
        if help_request is None:
            return None
        user = _staff_member_of_key(request.POST[KEY_FIELD], help_request.pk)
        if user is None:
            return None  # the admin's own answer: the sign-in page, nothing kept
        fields = {name: values for name, values in request.POST.lists() if name not in NOT_KEPT}
        if len(json.dumps(fields)) > MAX_KEPT_CHARACTERS:
            return None
        unsaved_change_keep(user=user, help_request=help_request, fields=fields)
        minutes = max(1, round(settings.SESSION_COOKIE_AGE / 60))
        messages.info(
            request,
            f"You were signed out after {minutes} minute{'s' if minutes != 1 else ''} without "
            f"activity. What you typed on {help_request.reference} is kept: sign in again to "
            "get it back.",
        )
        # The page's own address, without its query string (the queue's filters and search
        # words ride there).
        return redirect_to_login(request.path, login_url=reverse("admin:login"))


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class RestoreUnsavedMixin:
    """On the request's page, offer back (once) what this person typed when a save arrived
    after their session had ended: the main form through get_form, the inlines' new rows
    through get_formset_kwargs. The concurrency stamp comes back too, so a request changed
    meanwhile is still refused as stale."""

    def _unsaved_for(self, request, obj):
        """Taken once per request and page; a message says it is back."""
        if request.method != "GET" or obj is None:
            return None
        cache = request.__dict__.setdefault("_unsaved_changes", {})
        if obj.pk not in cache:
            cache[obj.pk] = unsaved_change_take(user=request.user, help_request=obj)
            if cache[obj.pk] is not None:
                kept_at = timezone.localtime(cache[obj.pk][1])
                messages.info(
                    request,
                    f"Your unsaved changes from {kept_at:%H:%M} are back below. Check them "
                    "and press Save.",
                )
        return cache[obj.pk][0] if cache[obj.pk] else None

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        data = self._unsaved_for(request, obj)
        if data is None:
            return form_class
        kept = _kept_values(form_class, data, prefix=None)
        # The hidden copies of what the page first showed (fields with show_hidden_initial),
        # so the restored page still tells the next save what this person changed.
        shown = QueryDict(mutable=True)
        for name, values in data.lists():
            if name.startswith("initial-"):
                shown.setlist(name, values)

        class RestoredForm(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if not self.is_bound:  # after any initial the form works out itself
                    self.initial.update(kept)
                    # Read by BoundField for the hidden copies only; the form stays unbound.
                    self.data = shown

        RestoredForm.__name__ = form_class.__name__
        return RestoredForm

    def get_formset_kwargs(self, request, obj, inline, prefix):
        formset_kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        data = self._unsaved_for(request, obj)
        if data is None:
            return formset_kwargs
        form_class = inline.get_formset(request, obj).form
        initial_forms = _int_or_none(data.get(f"{prefix}-INITIAL_FORMS")) or 0
        total_forms = _int_or_none(data.get(f"{prefix}-TOTAL_FORMS")) or 0
        # Only the new rows (notes, contact attempts) are typed; rows already saved are not
        # editable here.
        extra = [
            _kept_values(form_class, data, prefix=f"{prefix}-{index}")
            for index in range(initial_forms, min(total_forms, initial_forms + 20))
        ]
        if any(extra):
            formset_kwargs["initial"] = extra
        return formset_kwargs


def _kept_values(form_class, data: QueryDict, *, prefix: str | None) -> dict:
    """Each field's value as its widget reads it from the kept post (a date and time in
    two boxes, a box left unticked), for the fields the post holds."""
    values = {}
    for name, field in form_class.base_fields.items():
        if field.disabled:
            continue
        posted_name = f"{prefix}-{name}" if prefix else name
        if not field.widget.value_omitted_from_data(data, {}, posted_name):
            values[name] = field.widget.value_from_datadict(data, {}, posted_name)
    return values


@never_cache
@require_POST
def keep_alive(request):
    """The idle warning's "Stay signed in": the request itself restarts the idle clock
    (recovery_site.middleware.StaffIdleTimeoutMiddleware). Says nothing, to staff only."""
    if not admin.site.has_permission(request):
        return HttpResponse(status=403)
    restart_idle_clock(request)  # even within the minute the middleware leaves alone
    return HttpResponse(status=204)
