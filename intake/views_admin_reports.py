"""The Reports page: are people reached in time, do they start care, where do they come
from. HelpRequestAdmin routes to it (intake/admin/queue.py) and passes itself."""

import csv

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from intake import charts
from intake.models import AuditEntry
from intake.reports import Period, Report, build_report
from intake.services import audit_record
from intake.staff_forms import ReportPeriodForm

PRESET_WEEKS = (4, 12, 26, 52)
NOTE = (
    'Counts, rates and times only. A group of 1 to 4 people shows as "fewer than 5"; where '
    "a total would give such a group away, the next smallest group is hidden too. Rates "
    "are percentages, times in business hours unless marked in minutes."
)


def reports_view(model_admin, request):
    if not request.user.has_perm("intake.view_reports"):
        raise PermissionDenied
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else request.GET
    form = ReportPeriodForm(data if "start" in data or "end" in data else None)
    period = Period.last_weeks(today)
    if form.is_bound and form.is_valid():
        period = Period(form.cleaned_data["start"], form.cleaned_data["end"])
    elif not form.is_bound:
        form = ReportPeriodForm(initial={"start": period.start, "end": period.end})
    report = build_report(period=period)
    if request.method == "POST" and (not form.is_bound or form.is_valid()):
        return download(request, report)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Reports",
        "note": NOTE,
        "time_zone": settings.TIME_ZONE,
        "form": form,
        "report": report,
        "presets": [(weeks, Period.last_weeks(today, weeks)) for weeks in PRESET_WEEKS],
        "charts": chart_data(report),
    }
    return TemplateResponse(request, "admin/intake/helprequest/reports.html", context)


def weekly(weeks: list, name: str, css: str, attribute: str) -> charts.Series:
    """One figure of every week, as a chart's series."""
    return charts.Series(name, css, [getattr(week, attribute).value for week in weeks])


def bar_rows(rows: list, column: str) -> list[tuple]:
    """One column of a table, as a bar chart's rows: label, value, value in words."""
    return [(row.label, row.figures[column].value, row.figures[column].text) for row in rows]


def chart_data(report: Report) -> dict:
    """Each chart's shapes, and its words for people who do not see it."""
    weeks = report.weeks
    labels = [f"{week.monday:%-d %b}" for week in weeks]
    shown = [w.total.value for w in weeks if w.total.value is not None]
    busiest = max(weeks, key=lambda w: w.total.value or 0) if shown else None
    in_time = [w for w in weeks if w.reached_in_time.value is not None]
    funnel = {row.label: row.figures["people"].text for row in report.funnel}
    top_source = next((row for row in report.sources if row.figures["received"].value), None)
    return {
        "requests": {
            "chart": charts.columns(
                labels=labels,
                series=[
                    weekly(weeks, "consultation requests", "consultation", "consultations"),
                    weekly(weeks, "messages", "message", "messages"),
                ],
                markers=weekly(weeks, "urgent", "urgent", "urgent"),
            ),
            "summary": (
                f"{report.received.text} requests over {len(weeks)} weeks"
                + (
                    f"; the busiest was the week of {busiest.monday:%-d %B} with "
                    f"{busiest.total.text}."
                    if busiest
                    else "."
                )
                + " Each week's numbers are in the table beside the chart."
            ),
        },
        "in_time": {
            "chart": charts.columns(
                labels=labels,
                series=[
                    weekly(weeks, "reached within the promise (%)", "share", "reached_in_time")
                ],
                top=100,
            ),
            "summary": (
                f"Reached within the promise over the period: {report.reached_in_time.text}"
                + (
                    f"; weekly from {min(w.reached_in_time.value for w in in_time):.0f} % to "
                    f"{max(w.reached_in_time.value for w in in_time):.0f} %."
                    if in_time
                    else "."
                )
            ),
        },
        "hours": {
            "chart": charts.columns(
                labels=labels,
                series=[
                    weekly(
                        weeks,
                        "median business hours to first conversation",
                        "hours",
                        "median_hours_to_contact",
                    )
                ],
                target=(settings.INTAKE_RESPONSE_BUSINESS_HOURS, f"Promise: {report.promise}"),
            ),
            "summary": (
                "Median business hours from a request to the first conversation, each week, "
                f"urgent requests aside, against the promise of {report.promise}. Each "
                "week's figure is in the table beside the chart."
            ),
        },
        "funnel": {
            "chart": charts.bars(rows=bar_rows(report.funnel, "people")),
            "summary": "; ".join(f"{label}: {text}" for label, text in funnel.items()) + ".",
        },
        "sources": {
            "chart": charts.bars(rows=bar_rows(report.sources, "received")),
            "summary": (
                f"Most requests came through {top_source.label.lower()} "
                f"({top_source.figures['received'].text})."
                if top_source
                else "No requests in this period."
            )
            + " The table beside the chart has every answer.",
        },
    }


def download(request, report: Report) -> HttpResponse:
    """Every table of the page as CSV, aggregates only; recorded in the audit trail."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    period = report.period
    response["Content-Disposition"] = (
        f'attachment; filename="reports-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow([f"Reports, {period}, in the clinic's time zone ({settings.TIME_ZONE})"])
    writer.writerow([NOTE])
    writer.writerow([])
    for title, header, rows in tables(report):
        writer.writerow([title])
        writer.writerow(header)
        writer.writerows(rows)
        writer.writerow([])
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.EXPORT,
        details={"report": "reports", "start": str(period.start), "end": str(period.end)},
    )
    return response


def tables(report: Report) -> list[tuple[str, list[str], list[list[str]]]]:
    """The page's tables as (title, header, rows of words), for the CSV."""
    weeks = [
        [
            f"{w.monday:%Y-%m-%d}",
            w.consultations.csv,
            w.messages.csv,
            w.urgent.csv,
            w.total.csv,
            w.reached_in_time.csv,
            w.median_hours_to_contact.csv,
        ]
        for w in report.weeks
    ]
    result = [
        (
            f"Requests per week, {report.period}",
            [
                "Week of",
                "Consultation requests",
                "Messages",
                "Of which urgent",
                "All",
                "Reached within the promise (%)",
                "Median business hours to first conversation",
            ],
            weeks,
        ),
        (
            "Speed to contact",
            ["Step", "People", "Median", "90th percentile"],
            [[r.label, *(f.csv for f in r.figures.values())] for r in report.speed],
        ),
        (
            "From request to care",
            ["Step", "People", "Of all received (%)", "Of the step before (%)"],
            [[r.label, *(f.csv for f in r.figures.values())] for r in report.funnel],
        ),
        (
            "Why people did not start care",
            ["Reason", "People"],
            [[r.label, r.figures["people"].csv] for r in report.left],
        ),
    ]
    for title, first, rows in (
        ("How they heard about us", "Heard about us through", report.sources),
        ("Program asked for", "Program", report.programs),
        ("Language of the request", "Language", report.languages),
    ):
        result.append(
            (
                title,
                [first, "Requests", "Reached", "Started care", "Started care, of requests (%)"],
                [[r.label, *(f.csv for f in r.figures.values())] for r in rows],
            )
        )
    result.append(
        ("Spam", ["", "Requests"], [[r.label, r.figures["count"].csv] for r in report.spam])
    )
    return result
