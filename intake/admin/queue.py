"""The queue: its columns, filters, search, bulk actions and CSV export (the list side of
HelpRequestAdmin)."""

from functools import cache

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.urls import path
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.html import format_html

from intake import views_admin, views_admin_reports
from intake.admin.bulk import BulkActionsMixin
from intake.admin.paginator import CappedCountPaginator
from intake.filters import (
    AssigneeFilter,
    FollowUpFilter,
    OverdueFilter,
    ProgramFilter,
    StatusFilter,
    UrgentFilter,
)
from intake.models import HelpRequest
from intake.querysets import HelpRequestQuerySet

# How a voicemail may be left, in words (voicemail_ok: yes, no, not asked).
VOICEMAIL_WORDS = {True: "Voicemail OK", False: "Voicemail: don't name clinic",
                   None: "Voicemail: not asked"}  # fmt: skip


@cache
def _choices(field_name: str) -> dict:
    return dict(HelpRequest._meta.get_field(field_name).flatchoices)


def choice_label(obj, field_name: str) -> str:
    """What obj.get_<field>_display() gives, without rebuilding the field's choices for
    every row (a quarter of the queue's row time at 50 rows)."""
    value = getattr(obj, field_name)
    return force_str(_choices(field_name).get(value, value), strings_only=True)


# What the list's columns read; the rest of a request (its encrypted answers, each
# decrypted, its contact details, each phone number parsed, and some fifty more columns)
# is left out of the rows only: the change page, actions and the export read whole requests.
# A column reading anything else would cost a query per row (tests/intake/test_queue.py).
LIST_FIELDS = (
    "kind", "reference", "status", "urgent", "spam", "possibly_automated", "created_at",
    "respond_by", "name", "preferred_contact", "contact_window", "voicemail_ok",
    "consent_sms", "language", "attempt_count", "last_attempt_outcome", "follow_up_on",
    "assigned_to", "program", "notification",
)  # fmt: skip


class QueueChangeList(ChangeList):
    def get_results(self, request):
        queryset = self.queryset
        self.queryset = queryset.only(*LIST_FIELDS)
        try:
            super().get_results(request)
        finally:
            self.queryset = queryset


def duration(span) -> str:
    hours = int(span.total_seconds() // 3600)
    if hours >= 24:
        return f"{hours // 24} d {hours % 24} h"
    return f"{hours} h" if hours else f"{int(span.total_seconds() // 60)} min"


class QueueAdminMixin(BulkActionsMixin):
    """The queue of requests for help, urgent first, then longest waiting."""

    change_list_template = "admin/intake/helprequest/change_list.html"
    # What matters first comes first, so a phone at 360 px sees it without scrolling
    # sideways: urgency, status, time waited and name. Every column reads the row itself.
    list_display = (
        "urgency", "status_label", "waiting", "name", "reach", "safe_contact", "attempts",
        "follow_up", "assigned_to", "reference", "kind", "program_label", "notification",
    )  # fmt: skip
    list_display_links = ("name", "reference")
    list_filter = (
        StatusFilter, "kind", ProgramFilter, UrgentFilter, AssigneeFilter, OverdueFilter,
        FollowUpFilter, "language", "notification", "possibly_automated",
        ("created_at", admin.DateFieldListFilter),
    )  # fmt: skip
    # "language" lists its fixed choices (never the table's distinct values); a filtered
    # page still walks helprequest_open_queue_idx in order, skipping the other language.
    list_select_related = ("assigned_to",)
    search_fields = ("reference", "name", "email", "phone")
    search_help_text = (
        "Any part of a name (accents and case aside), a reference with or without CR-/MS-, "
        "any four or more digits of a phone number, or the start of an email. Searches "
        "every status; spam only with the Spam filter."
    )
    # Urgent first, then longest waiting: a page is read off helprequest_open_queue_idx.
    ordering = (*HelpRequestQuerySet.QUEUE_ORDER, "-pk")
    show_full_result_count = False
    list_per_page = 50
    paginator = CappedCountPaginator

    # --- The list ---------------------------------------------------------------------

    @admin.display(description="urgent", empty_value="")
    def urgency(self, obj):
        # A word, not a tick or a cross: nothing is said of requests that are not urgent.
        return format_html('<span class="urgent-badge">{}</span>', "Urgent") if obj.urgent else ""

    @admin.display(description="reach by")
    def reach(self, obj):
        method = choice_label(obj, "preferred_contact") or "Email"
        window = choice_label(obj, "contact_window")
        return f"{method}, {window.split(' (')[0].lower()}" if window else method

    @admin.display(description="safe contact")
    def safe_contact(self, obj):
        words = [VOICEMAIL_WORDS[obj.voicemail_ok], "Texts OK" if obj.consent_sms else "No texts"]
        if obj.language != HelpRequest.Language.ENGLISH:
            words.append(choice_label(obj, "language"))
        return format_html("{}<br>{}", words[0], " · ".join(words[1:]))

    @admin.display(description="contact attempts", ordering="attempt_count")
    def attempts(self, obj):
        if not obj.attempt_count:
            return "0"
        return f"{obj.attempt_count} · {choice_label(obj, 'last_attempt_outcome')}"

    @admin.display(description="follow-up", ordering="follow_up_on")
    def follow_up(self, obj):
        if obj.follow_up_on is None:
            return ""
        shown = obj.follow_up_on.strftime("%a %d %b")
        missed = obj.follow_up_on < timezone.localdate()
        if missed and obj.status in HelpRequest.OPEN_STATUSES and not obj.spam:
            return format_html('<strong class="overdue">{} · overdue</strong>', shown)
        return shown

    @admin.display(description="program")
    def program_label(self, obj):
        # Not sortable: the program is encrypted, so the database cannot order by it.
        return choice_label(obj, "program")

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        if obj.possibly_automated:
            return format_html(
                "{}<br><small>possibly automated</small>", choice_label(obj, "status")
            )
        return choice_label(obj, "status")

    @admin.display(description="waited", ordering="created_at")
    def waiting(self, obj):
        # respond_by is the request's own promise: an urgent one's is 60 minutes, any hour.
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

    def get_changelist(self, request, **kwargs):
        return QueueChangeList

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # Where a search looked, shown beside its count (our search_form.html).
        changelist.search_scope = StatusFilter.search_scope(request)
        # "More than 5,000" instead of a number the paginator did not count to.
        changelist.count_capped = changelist.paginator.capped
        changelist.count_limit = f"{changelist.paginator.limit:,}"
        return changelist

    # --- Export -----------------------------------------------------------------------

    def get_urls(self):
        export = self.admin_site.admin_view(self.export_view)
        reports = self.admin_site.admin_view(self.reports_view)
        return [
            path("export/", export, name="intake_helprequest_export"),
            path("reports/", reports, name="intake_helprequest_reports"),
            *super().get_urls(),
        ]

    def has_export_permission(self, request):
        return request.user.has_perm("intake.export_helprequest")

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_export": self.has_export_permission(request)}
        return super().changelist_view(request, extra_context)

    def export_view(self, request):
        return views_admin.export_view(self, request)

    def reports_view(self, request):
        return views_admin_reports.reports_view(self, request)
