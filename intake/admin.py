"""Staff triage: one queue of requests, a clear workflow, and an audit trail of who saw what."""

from django.contrib import admin, messages
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from intake import selectors, views_admin
from intake.filters import AssigneeFilter, OverdueFilter, ProgramFilter, StatusFilter
from intake.forms import HelpRequestForm
from intake.models import AuditEntry, HelpRequest, Note
from intake.services import (
    audit_record,
    help_request_staff_update,
    help_requests_bulk_update,
    note_add,
)

VISITOR_FIELDS = (
    "kind", "reference", "created_at", "respond_by", "name", "phone", "email",
    "preferred_contact", "contact_window", "voicemail_ok", "who_needs_help", "substances",
    "program", "insurance", "insurance_provider", "state", "message", "consent_contact",
    "consent_sms", "source_page", "urgent", "spam", "possibly_automated", "spam_reason",
    "notification",
    "notification_attempts", "notified_at",
)  # fmt: skip


def duration(span) -> str:
    hours = int(span.total_seconds() // 3600)
    if hours >= 24:
        return f"{hours // 24} d {hours % 24} h"
    return f"{hours} h" if hours else f"{int(span.total_seconds() // 60)} min"


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


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin):
    """The queue of requests for help, longest waiting first."""

    form = HelpRequestForm
    change_list_template = "admin/intake/helprequest/change_list.html"
    change_form_template = "admin/intake/helprequest/change_form.html"
    list_display = (
        "reference", "kind", "name", "reach", "program_label", "urgent_flag", "status_label",
        "assigned_to", "waiting", "notification",
    )  # fmt: skip
    list_display_links = ("reference", "name")
    list_filter = (
        StatusFilter, "kind", ProgramFilter, "urgent", AssigneeFilter, OverdueFilter,
        "notification", "possibly_automated",
        ("created_at", admin.DateFieldListFilter),
    )  # fmt: skip
    list_select_related = ("assigned_to",)
    search_fields = ("reference", "name", "email", "phone")
    search_help_text = (
        "Any part of a name (accents and case aside), a reference with or without CR-/MS-, "
        "any four or more digits of a phone number, or the start of an email. Searches "
        "every status; spam only with the Spam filter."
    )
    ordering = ("created_at",)
    show_full_result_count = False
    list_per_page = 50
    # The request's own page is the admin page: no "view on site" shortcut to it.
    view_on_site = False
    actions = ("assign_to_me", "mark_contacted", "mark_spam", "rescue", "close")
    inlines = (NoteInline,)
    readonly_fields = (*VISITOR_FIELDS, "timeline")
    fieldsets = (
        ("Triage", {"fields": ("status", "assigned_to", "follow_up_on", "legal_hold")}),
        ("Timeline", {"fields": ("timeline",)}),
        (
            "What they sent (read-only)",
            {"fields": VISITOR_FIELDS},
        ),
    )

    # --- The list ---------------------------------------------------------------------

    @admin.display(description="reach by")
    def reach(self, obj):
        method = obj.get_preferred_contact_display() or "Email"
        window = obj.get_contact_window_display()
        return f"{method}, {window.split(' (')[0].lower()}" if window else method

    @admin.display(description="program")
    def program_label(self, obj):
        # Not sortable: the program is encrypted, so the database cannot order by it.
        return obj.get_program_display()

    @admin.display(description="urgent", boolean=True, ordering="urgent")
    def urgent_flag(self, obj):
        return obj.urgent

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        if obj.possibly_automated:
            return format_html("{}<br><small>possibly automated</small>", obj.get_status_display())
        return obj.get_status_display()

    @admin.display(description="waiting", ordering="created_at")
    def waiting(self, obj):
        now = timezone.now()
        waited = duration(now - obj.created_at)
        if not obj.awaiting_first_reply:
            return waited
        if obj.respond_by < now:
            return format_html(
                '<strong class="overdue">{} · overdue by {}</strong>',
                waited,
                duration(now - obj.respond_by),
            )
        return f"{waited} · due in {duration(obj.respond_by - now)}"

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # Lifting a legal hold lets the purge delete: only those who may delete may do it.
        if not request.user.has_perm("intake.delete_helprequest"):
            fields = (*fields, "legal_hold")
        return fields

    def get_search_results(self, request, queryset, search_term):
        """Names, references, phone digits and emails as staff type them (staff_search);
        the status filter has let every status through (StatusFilter)."""
        return queryset.staff_search(search_term), False

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # Where a search looked, shown beside its count (our search_form.html).
        changelist.search_scope = StatusFilter.search_scope(request)
        return changelist

    # --- One request --------------------------------------------------------------------

    @admin.display(description="timeline")
    def timeline(self, obj):
        if obj.pk is None:
            return "-"
        items = [(obj.created_at, "Request received", "")]
        items += [
            (e.created_at, str(e), e.actor.get_username() if e.actor else "")
            for e in obj.events.select_related("actor")
        ]  # fmt: skip
        items += [
            (n.created_at, f"Note: {n.text}", n.author.get_username())
            for n in obj.notes.select_related("author")
        ]
        items.sort(key=lambda item: item[0])
        return format_html(
            '<ol class="timeline">{}</ol>',
            format_html_join(
                "",
                "<li><time>{}</time> {} <em>{}</em></li>",
                (
                    (timezone.localtime(when).strftime("%Y-%m-%d %H:%M"), what, who)
                    for when, what, who in items
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

    # --- Bulk actions -----------------------------------------------------------------

    def _bulk(self, request, queryset, done: str, **values):
        count = help_requests_bulk_update(queryset=queryset, actor=request.user, **values)
        self.message_user(request, f"{count} request(s) {done}.", messages.SUCCESS)

    @admin.action(description="Assign to me", permissions=["change"])
    def assign_to_me(self, request, queryset):
        self._bulk(request, queryset, "assigned to you", assigned_to=request.user)

    @admin.action(description="Mark contacted", permissions=["change"])
    def mark_contacted(self, request, queryset):
        self._bulk(request, queryset, "marked contacted", status=HelpRequest.Status.CONTACTED)

    @admin.action(description="Mark as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._bulk(request, queryset, "marked as spam", status=HelpRequest.Status.SPAM)

    @admin.action(description="Not spam: return to the queue", permissions=["change"])
    def rescue(self, request, queryset):
        # The status change notifies staff of each rescued request (the services).
        self._bulk(
            request,
            queryset.in_spam(),
            "returned to the queue as new",
            status=HelpRequest.Status.NEW,
        )

    @admin.action(description="Close", permissions=["change"])
    def close(self, request, queryset):
        self._bulk(request, queryset, "closed", status=HelpRequest.Status.CLOSED)

    # --- Export -----------------------------------------------------------------------

    def get_urls(self):
        export = self.admin_site.admin_view(self.export_view)
        return [path("export/", export, name="intake_helprequest_export"), *super().get_urls()]

    def has_export_permission(self, request):
        return request.user.has_perm("intake.export_helprequest")

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_export": self.has_export_permission(request)}
        return super().changelist_view(request, extra_context)

    def export_view(self, request):
        return views_admin.export_view(self, request)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only for administrators; nobody can add, change or delete an entry."""

    list_display = ("created_at", "actor", "action", "reference", "details")
    list_filter = ("action", ("created_at", admin.DateFieldListFilter))
    list_select_related = ("actor",)
    search_fields = ("reference", "actor__username")
    show_full_result_count = False
    date_hierarchy = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
