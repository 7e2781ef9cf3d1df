"""The queue's own list filters in the admin (status, urgent, assignee, response time,
follow-up, program)."""

from django.contrib import admin
from django.contrib.admin.views.main import SEARCH_VAR
from django.utils import timezone

from intake.models import HelpRequest


class StatusFilter(admin.SimpleListFilter):
    """Open requests by default; spam only when asked for.

    A search looks through every status (a closed request is found by its name), and
    through spam instead only when the Spam filter is chosen.
    """

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("open", "Open (default)"), *HelpRequest.Status.choices, ("all", "All but spam")]

    def choices(self, changelist):
        value = self.shown(changelist.query)
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == str(lookup),
                # While searching, a single status is browsed without the search (which
                # would look through every status all the same).
                "query_string": changelist.get_query_string(
                    {self.parameter_name: lookup},
                    [] if lookup in ("all", HelpRequest.Status.SPAM) else [SEARCH_VAR],
                ),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.shown(request.GET.get(SEARCH_VAR, ""))
        if value == "open":
            return queryset.open()
        if value == "all":
            return queryset.not_spam()
        if value == HelpRequest.Status.SPAM:
            return queryset.in_spam()
        return queryset.filter(spam=False, status=value)

    def shown(self, search: str) -> str:
        """The choice the list shows: a search shows all but spam, unless spam was chosen."""
        value = self.value() or "open"
        if search.strip() and value != HelpRequest.Status.SPAM:
            return "all"
        return value

    @classmethod
    def search_scope(cls, request) -> str:
        """Where a search looked, as the queue says it ("12 results in all statuses")."""
        spam = request.GET.get(cls.parameter_name) == HelpRequest.Status.SPAM
        return "in spam" if spam else "in all statuses"


class AssigneeFilter(admin.SimpleListFilter):
    title = "assigned to"
    parameter_name = "assignee"

    def lookups(self, request, model_admin):
        return [("me", "Me"), ("none", "Nobody yet")]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.assigned_to(request.user)
        if self.value() == "none":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    """Past the response-time promise, or a reached person's follow-up date passed
    (HelpRequestQuerySet.overdue)."""

    title = "response time"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        return queryset


class UrgentFilter(admin.SimpleListFilter):
    """Urgent requests; the admin home's Urgent tile links to those nobody has reached yet."""

    title = "urgent"
    parameter_name = "urgent"

    def lookups(self, request, model_admin):
        return [("waiting", "Urgent, not yet reached"), ("yes", "Urgent"), ("no", "Not urgent")]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.urgent_awaiting_reply()
        if self.value() in ("yes", "no"):
            return queryset.filter(urgent=self.value() == "yes")
        return queryset


class FollowUpFilter(admin.SimpleListFilter):
    """Follow-up dates staff set: due (today or earlier), mine, today's, or missed."""

    title = "follow-up"
    parameter_name = "follow_up"

    def lookups(self, request, model_admin):
        return [("due", "Due, today or earlier"), ("mine", "Mine, due"), ("today", "Due today"),
                ("overdue", "Overdue")]  # fmt: skip

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "due":
            return queryset.follow_ups_due(today)
        if self.value() == "mine":
            return queryset.follow_ups_due(today).assigned_to(request.user)
        if self.value() == "today":
            return queryset.open().filter(follow_up_on=today)
        if self.value() == "overdue":
            # Missed, as the queue marks it: an open request's follow-up date has passed.
            return queryset.open().filter(follow_up_on__lt=today)
        return queryset


class ProgramFilter(admin.SimpleListFilter):
    """The program is encrypted; its keyed hash (program_index) is what can be filtered."""

    title = "program"
    parameter_name = "program"

    def lookups(self, request, model_admin):
        return HelpRequest.Program.choices

    def queryset(self, request, queryset):
        if self.value() in HelpRequest.Program.values:
            return queryset.with_program(self.value())
        return queryset
