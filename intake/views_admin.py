"""Admin pages of the queue beyond Django's own: the CSV export, asked for a reason.

HelpRequestAdmin (intake/admin.py) routes to these and passes itself, as pythondotorg's
sponsors/views_admin.py does.
"""

import csv

from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from intake.models import AuditEntry
from intake.selectors import QUEUE_URL_NAME
from intake.services import audit_record
from intake.staff_forms import ExportForm

CSV_COLUMNS = (
    "reference", "kind", "status", "urgent", "created_at", "respond_by", "name", "phone",
    "email", "preferred_contact", "contact_window", "voicemail_ok", "program", "state",
    "assigned_to", "follow_up_on",
)  # fmt: skip


def neutralise_formula(value) -> str:
    """Spreadsheet software runs cells starting with = + - @ as formulas; make them text."""
    text = "" if value is None else str(value)
    if text[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + text
    return text


def export_view(model_admin, request):
    """Export the queue as filtered, after asking why; the reason goes to the audit trail."""
    if not model_admin.has_export_permission(request):
        raise PermissionDenied
    query = request.POST.get("query", request.GET.urlencode())
    form = ExportForm(request.POST or None, initial={"query": query})
    if request.method == "POST" and form.is_valid():
        try:
            return export_csv(
                model_admin, request, form.cleaned_data["query"], form.cleaned_data["reason"]
            )
        except IncorrectLookupParameters:
            model_admin.message_user(request, "Those filters are not valid.", messages.ERROR)
            return HttpResponseRedirect(reverse(QUEUE_URL_NAME))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "form": form,
        "title": "Export requests as CSV",
        "back_url": f"{reverse(QUEUE_URL_NAME)}?{query}",
    }
    return TemplateResponse(request, "admin/intake/helprequest/export.html", context)


def export_csv(model_admin, request, query: str, reason: str) -> HttpResponse:
    # The changelist reads its filters and search from GET: give it the queue's.
    request.GET = QueryDict(query)
    rows = model_admin.get_changelist_instance(request).get_queryset(request)
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
