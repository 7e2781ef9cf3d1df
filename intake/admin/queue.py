"""The queue: its columns, filters, search, bulk actions and CSV export (the list side of
HelpRequestAdmin)."""

from django.contrib import admin, messages
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html

from intake import views_admin
from intake.filters import AssigneeFilter, OverdueFilter, ProgramFilter, StatusFilter
from intake.models import HelpRequest
from intake.services import help_requests_bulk_update


def duration(span) -> str:
    hours = int(span.total_seconds() // 3600)
    if hours >= 24:
        return f"{hours // 24} d {hours % 24} h"
    return f"{hours} h" if hours else f"{int(span.total_seconds() // 60)} min"


class QueueAdminMixin:
    """The queue of requests for help, urgent first, then longest waiting."""

    change_list_template = "admin/intake/helprequest/change_list.html"
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
    actions = ("assign_to_me", "mark_contacted", "mark_spam", "rescue", "close")

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

    # --- Bulk actions -----------------------------------------------------------------

    def _bulk(self, request, queryset, done: str, **values):
        result = help_requests_bulk_update(queryset=queryset, actor=request.user, **values)
        self.message_user(request, f"{result.changed} request(s) {done}.", messages.SUCCESS)

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
