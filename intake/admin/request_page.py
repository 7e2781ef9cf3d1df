"""One request's page: the triage form, the note box, the timeline and the audit of who
looked (the change side of HelpRequestAdmin)."""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from intake import selectors
from intake.models import AuditEntry, HelpRequest, Note
from intake.services import audit_record, help_request_staff_update, note_add
from intake.staff_forms import HelpRequestForm

VISITOR_FIELDS = (
    "kind", "reference", "created_at", "respond_by", "name", "phone", "email",
    "preferred_contact", "contact_window", "voicemail_ok", "who_needs_help", "substances",
    "program", "insurance", "insurance_provider", "state", "message", "consent_contact",
    "consent_sms", "source_page", "urgent", "spam", "possibly_automated", "spam_reason",
    "notification",
    "notification_attempts", "notified_at",
)  # fmt: skip


class NoteInline(admin.StackedInline):
    """Notes are added, never edited or removed."""

    model = Note
    extra = 1
    fields = ("text",)
    verbose_name = "note"
    verbose_name_plural = "add a note"

    def get_queryset(self, request):
        return super().get_queryset(request).none()  # past notes show in the timeline

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RequestPageAdminMixin:
    """One request: what they sent (read-only), staff's triage, notes and the timeline."""

    form = HelpRequestForm
    change_form_template = "admin/intake/helprequest/change_form.html"
    inlines = (NoteInline,)
    readonly_fields = (*VISITOR_FIELDS, "timeline")
    fieldsets = (
        ("Triage", {"fields": ("status", "assigned_to", "follow_up_on", "legal_hold")}),
        ("Timeline", {"fields": ("timeline",)}),
        ("What they sent (read-only)", {"fields": VISITOR_FIELDS}),
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
        changed = list(form.changed_data)
        if "_assign_to_me" in request.POST and obj.assigned_to_id != request.user.pk:
            obj.assigned_to = request.user
            if "assigned_to" not in changed:
                changed.append("assigned_to")
        previous = HelpRequest.objects.select_related("assigned_to").get(pk=obj.pk)
        help_request_staff_update(
            help_request=obj, actor=request.user, previous=previous, changed=changed
        )

    def save_formset(self, request, form, formset, change):
        added = []
        for note_form in formset.forms:
            text = note_form.cleaned_data.get("text") if note_form.has_changed() else ""
            if text:
                added.append(note_add(help_request=form.instance, author=request.user, text=text))
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
