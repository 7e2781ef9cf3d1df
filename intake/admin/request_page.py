"""One request's page: the triage form, the note box, the timeline and the audit of who
looked (the change side of HelpRequestAdmin)."""

import copy

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import unquote
from django.db import transaction
from django.http import HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from intake import selectors
from intake.admin.request_parts import contact_card, save_added, stale_save_refused
from intake.models import AuditEntry, ContactAttempt, HelpRequest, Note
from intake.querysets import HelpRequestQuerySet
from intake.services import audit_record, help_request_staff_update
from intake.staff_forms import ContactAttemptForm, HelpRequestForm

VISITOR_FIELDS = (
    "kind", "reference", "created_at", "respond_by", "name", "phone", "email",
    "preferred_contact", "contact_window", "voicemail_ok", "who_needs_help", "substances",
    "program", "insurance", "insurance_provider", "state", "message", "consent_contact",
    "consent_sms", "source_page", "spam", "possibly_automated", "spam_reason",
    "notification",
    "notification_attempts", "notified_at",
)  # fmt: skip


class AddOnlyInline(admin.StackedInline):
    """Added, never edited or removed: past ones show in the timeline. One at a time."""

    extra = max_num = 1

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ContactAttemptInline(AddOnlyInline):
    model = ContactAttempt
    form = ContactAttemptForm
    fields = ("channel", "outcome", "attempted_at", "log_anyway")
    # One at a time, so the admin heads the box with the singular: say what it is for.
    verbose_name = verbose_name_plural = "log a contact attempt"


class NoteInline(AddOnlyInline):
    model = Note
    fields = ("text",)
    verbose_name = verbose_name_plural = "add a note"


class RequestPageAdminMixin:
    """One request: what they sent (read-only), staff's triage, notes and the timeline."""

    form = HelpRequestForm
    change_form_template = "admin/intake/helprequest/change_form.html"
    inlines = (ContactAttemptInline, NoteInline)
    readonly_fields = (*VISITOR_FIELDS, "timeline")
    fieldsets = (
        (
            "Triage",
            {
                "fields": (
                    "status",
                    "assigned_to",
                    "follow_up_on",
                    "urgent",
                    "urgent_reason",
                    "seen_updated_at",
                )
            },
        ),
        (
            "Outcome",
            {
                "fields": (
                    ("appointment_at", "appointment_virtual"),
                    ("appointment_program", "appointment_place"),
                    ("referred_to", "referral_reason"),
                    "not_a_fit_reason",
                    "close_reason",
                ),
                "description": "Fill in the part that goes with the status you choose.",
            },
        ),
        ("Where they heard about us", {"fields": (("heard_about", "heard_about_other"),)}),
        ("Timeline", {"fields": ("timeline",)}),
        ("Everything they sent", {"fields": VISITOR_FIELDS, "classes": ("collapse",)}),
        ("Records", {"fields": ("legal_hold",)}),
    )

    # --- One request --------------------------------------------------------------------

    @admin.display(description="timeline")
    def timeline(self, obj):
        if obj.pk is None:
            return "-"
        items = selectors.timeline(obj)
        return format_html(
            '<ol class="timeline">{}</ol>',
            format_html_join(
                "",
                "<li><time>{}</time> {} <em>{}</em></li>",
                (
                    (timezone.localtime(item.when).strftime("%Y-%m-%d %H:%M"), item.what, item.who)
                    for item in items
                ),
            ),
        )

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "POST":
            # Held until the save commits: nobody else's save can slip in between the check
            # that this page is up to date and the write.
            HelpRequest.objects.select_for_update().filter(pk=obj.pk).exists()
            obj.refresh_from_db()
        return obj

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST" or object_id is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        with transaction.atomic():
            obj = self.get_object(request, unquote(object_id))
            if obj is None or not self.has_change_permission(request, obj):
                return super().changeform_view(request, object_id, form_url, extra_context)
            form = self.get_form(request, obj, change=True)(request.POST, instance=obj)
            seen = form.seen_updated_at_value()
            if seen is not None and seen != obj.updated_at:
                return stale_save_refused(self, request, obj, form, seen)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["contact_card"] = contact_card(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        if "_assign_to_me" in request.POST:
            self.message_user(request, f"{obj.reference} is assigned to you.", messages.SUCCESS)
            return HttpResponseRedirect(request.get_full_path())
        if "_save_next" in request.POST:
            after = self.next_in_list(request, obj)
            if after is None:
                self.message_user(request, f"{obj.reference} saved. That was the last request "
                                  "in the queue.", messages.SUCCESS)  # fmt: skip
                return HttpResponseRedirect(reverse(selectors.QUEUE_URL_NAME))
            self.message_user(request, f"{obj.reference} saved. This is the next request.",
                              messages.SUCCESS)  # fmt: skip
            url = reverse("admin:intake_helprequest_change", args=[after])
            context = {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts}
            return HttpResponseRedirect(add_preserved_filters(context, url))
        return super().response_change(request, obj)

    def next_in_list(self, request, obj):
        """The id of the request after this one in queue order, within the filters of the
        list the person opened it from (the admin keeps them in `_changelist_filters`)."""
        following = HelpRequest.objects.after_in_queue(obj)
        listed = copy.copy(request)
        listed.GET = QueryDict(request.GET.get("_changelist_filters", ""))
        try:
            chosen = self.get_changelist_instance(listed).get_queryset(listed)
        except IncorrectLookupParameters:
            chosen = HelpRequest.objects.all()
        ordered = chosen.filter(pk__in=following.values("pk")).order_by(
            *HelpRequestQuerySet.QUEUE_ORDER, "-pk"
        )
        return ordered.values_list("pk", flat=True).first()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        # A page showing the request (a first look, or a form sent back with errors).
        if getattr(response, "status_code", None) == 200:
            obj = response.context_data.get("original")
            if obj is not None:
                audit_record(actor=request.user, action=AuditEntry.Action.VIEW,
                             reference=obj.reference)  # fmt: skip
        return response

    def save_model(self, request, obj, form, change):
        changed = [name for name in form.changed_data if name in HelpRequestForm.Meta.fields]
        if "_assign_to_me" in request.POST and obj.assigned_to_id != request.user.pk:
            obj.assigned_to = request.user
            if "assigned_to" not in changed:
                changed.append("assigned_to")
        previous = HelpRequest.objects.select_related("assigned_to").get(pk=obj.pk)
        help_request_staff_update(
            help_request=obj, actor=request.user, previous=previous, changed=changed,
            urgent_reason=form.cleaned_data.get("urgent_reason", ""),
        )  # fmt: skip

    def save_formset(self, request, form, formset, change):
        added = save_added(request, form.instance, formset)
        # What Django's admin reads to write its own change message.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = added, [], []

    def get_deleted_objects(self, objs, request):
        """Requests on legal hold are "protected": both delete pages refuse, and say why."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        held = [str(obj) for obj in objs if obj.legal_hold]
        return deleted, counts, perms_needed, [*protected, *held]

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action=AuditEntry.Action.DELETE, reference=obj.reference)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for reference in queryset.values_list("reference", flat=True):
            audit_record(actor=request.user, action=AuditEntry.Action.DELETE, reference=reference)
        super().delete_queryset(request, queryset)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assigned_to":
            # Only people who may work requests can be given one.
            kwargs["queryset"] = selectors.staff_who_take_requests()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return False
