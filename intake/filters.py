"""The queue's own list filters in the admin (status, assignee, response time, program)."""

from django.contrib import admin

from intake.models import HelpRequest


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
            return queryset.open()
        if value == "all":
            return queryset.filter(spam=False)
        if value == HelpRequest.Status.SPAM:
            return queryset.in_spam()
        return queryset.filter(spam=False, status=value)


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
    title = "response time"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
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
