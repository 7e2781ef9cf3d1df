"""Staff triage: one queue of requests, a clear workflow, and an audit trail of who saw what.

The queue (list, filters, bulk actions, export) is in queue.py; one request's page in
request_page.py; this module puts them together and registers them.
"""

from django.contrib import admin

from intake.admin.queue import QueueAdminMixin
from intake.admin.request_page import RequestPageAdminMixin
from intake.models import AuditEntry, HelpRequest
from intake.unsaved_changes import RestoreUnsavedMixin


@admin.register(HelpRequest)
class HelpRequestAdmin(
    RestoreUnsavedMixin, QueueAdminMixin, RequestPageAdminMixin, admin.ModelAdmin
):
    """The queue of requests for help (QueueAdminMixin) and each request's page
    (RequestPageAdminMixin)."""

    # The request's own page is the admin page: no "view on site" shortcut to it.
    view_on_site = False


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
