"""Staff triage: one queue of requests, a clear workflow, and an audit trail of who saw what."""

import csv
from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from intake.crypto import blind_index
from intake.models import OPEN_STATUSES, AuditEntry, HelpRequest, Note
from intake.services import (
    audit_record,
    help_request_staff_update,
    help_requests_bulk_update,
    note_add,
)
from recovery_site import roles

VISITOR_FIELDS = (
    "kind", "reference", "created_at", "respond_by", "name", "phone", "email",
    "preferred_contact", "contact_window", "voicemail_ok", "who_needs_help", "substances",
    "program", "insurance", "insurance_provider", "state", "message", "consent_contact",
    "consent_sms", "source_page", "urgent", "spam", "possibly_automated", "spam_reason",
    "notification",
    "notification_attempts", "notified_at",
)  # fmt: skip
CSV_COLUMNS = (
    "reference", "kind", "status", "urgent", "created_at", "respond_by", "name", "phone",
    "email", "preferred_contact", "contact_window", "voicemail_ok", "program", "state",
    "assigned_to", "follow_up_on",
)  # fmt: skip
CHANGELIST = "admin:intake_helprequest_changelist"


def queue_counts(request) -> dict:
    """New, overdue, urgent and mine, each with a link to the filtered queue."""
    if not request.user.has_perm("intake.view_helprequest"):
        return {}
    queue = HelpRequest.objects.queue()
    base = reverse(CHANGELIST)
    tiles = [
        ("New", queue.filter(status=HelpRequest.Status.NEW), {"status": "new"}),
        ("Overdue", HelpRequest.objects.overdue(), {"overdue": "yes"}),
        ("Urgent", queue.filter(urgent=True), {"urgent__exact": "1"}),
        ("Mine", queue.filter(assigned_to=request.user), {"assignee": "me"}),
        (
            "Held as spam this week",
            HelpRequest.objects.held_as_spam(since=timezone.now() - timedelta(days=7)),
            {"status": HelpRequest.Status.SPAM},
        ),
    ]
    return {
        "queue_tiles": [
            {"label": label, "count": qs.count(), "url": f"{base}?{urlencode(params)}"}
            for label, qs, params in tiles
        ]
    }


def duration(span) -> str:
    hours = int(span.total_seconds() // 3600)
    if hours >= 24:
        return f"{hours // 24} d {hours % 24} h"
    return f"{hours} h" if hours else f"{int(span.total_seconds() // 60)} min"


def neutralise_formula(value) -> str:
    """Spreadsheet software runs cells starting with = + - @ as formulas; make them text."""
    text = "" if value is None else str(value)
    if text[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + text
    return text


class StatusFilter(admin.SimpleListFilter):
    """Open requests by default; spam only when asked for."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("open", "Open (default)"), *HelpRequest.Status.choices, ("all", "All but spam")]

    def choices(self, changelist):
        value = self.value() or "open"
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or "open"
        if value == "open":
            return queryset.filter(spam=False, status__in=OPEN_STATUSES)
        if value == "all":
            return queryset.filter(spam=False)
        if value == HelpRequest.Status.SPAM:
            return queryset.filter(Q(spam=True) | Q(status=HelpRequest.Status.SPAM))
        return queryset.filter(spam=False, status=value)


class AssigneeFilter(admin.SimpleListFilter):
    title = "assigned to"
    parameter_name = "assignee"

    def lookups(self, request, model_admin):
        return [("me", "Me"), ("none", "Nobody yet")]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "none":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = "response time"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset & HelpRequest.objects.overdue()
        return queryset


class ProgramFilter(admin.SimpleListFilter):
    """The program is encrypted; its keyed hash (program_index) is what can be filtered."""

    title = "program"
    parameter_name = "program"

    def lookups(self, request, model_admin):
        return HelpRequest.Program.choices

    def queryset(self, request, queryset):
        if self.value() in HelpRequest.Program.values:
            return queryset.filter(program_index=blind_index(self.value()))
        return queryset


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


class HelpRequestForm(forms.ModelForm):
    class Meta:
        model = HelpRequest
        fields = ("status", "assigned_to", "follow_up_on", "legal_hold")


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
    search_help_text = "Name, email, phone (any format) or reference."
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
        if obj.spam or obj.status not in (HelpRequest.Status.NEW, HelpRequest.Status.IN_PROGRESS):
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
        """A phone number in any format finds the stored, normalised one."""
        return queryset.staff_search(search_term), False

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
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(is_active=True, is_staff=True)
                .filter(Q(is_superuser=True) | Q(groups__name__in=roles.CAN_TAKE_REQUESTS))
                .distinct()
                .order_by("username")
            )
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
            queryset.filter(Q(spam=True) | Q(status=HelpRequest.Status.SPAM)),
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
        """Export the queue as filtered, after asking why; the reason goes to the audit trail."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        query = request.POST.get("query", request.GET.urlencode())
        form = ExportForm(request.POST or None, initial={"query": query})
        if request.method == "POST" and form.is_valid():
            try:
                return self._export_csv(
                    request, form.cleaned_data["query"], form.cleaned_data["reason"]
                )
            except IncorrectLookupParameters:
                self.message_user(request, "Those filters are not valid.", messages.ERROR)
                return HttpResponseRedirect(reverse(CHANGELIST))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": "Export requests as CSV",
            "back_url": f"{reverse(CHANGELIST)}?{query}",
        }
        return TemplateResponse(request, "admin/intake/helprequest/export.html", context)

    def _export_csv(self, request, query: str, reason: str):
        # The changelist reads its filters and search from GET: give it the queue's.
        request.GET = QueryDict(query)
        rows = self.get_changelist_instance(request).get_queryset(request)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="requests-{stamp}.csv"'
        writer = csv.writer(response)
        writer.writerow(CSV_COLUMNS)
        references = []
        for row in rows.iterator(chunk_size=2000):
            writer.writerow(
                neutralise_formula(
                    row.assigned_to.get_username()
                    if column == "assigned_to" and row.assigned_to
                    else getattr(row, column)
                )
                for column in CSV_COLUMNS
            )
            references.append(row.reference)
        # Which requests left, why, and which filters chose them (names of filters only:
        # a search may be a person's name).
        filters = sorted({key for key in QueryDict(query) if key not in {"p", "o"}})
        audit_record(
            actor=request.user,
            action=AuditEntry.Action.EXPORT,
            details={
                "reason": reason,
                "rows": len(references),
                "filters": filters,
                "references": references,
            },
        )
        return response


class ExportForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need this export?",
        max_length=300,
        help_text="Recorded in the audit trail with your name and the filters used.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)


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
