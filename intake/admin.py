"""Staff read requests for help here; what the visitor sent cannot be changed."""

from django.contrib import admin

from intake.models import HelpRequest

VISITOR_FIELDS = (
    "kind", "reference", "created_at", "name", "phone", "email", "preferred_contact",
    "contact_window", "voicemail_ok", "who_needs_help", "substances", "program", "insurance",
    "insurance_provider", "state", "message", "consent_contact", "consent_sms", "source_page",
    "urgent", "spam", "spam_reason", "notification", "notification_attempts", "notified_at",
)  # fmt: skip


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin):
    """The queue of requests, oldest first."""

    list_display = (
        "reference", "kind", "name", "urgent", "status", "notification", "created_at",
    )  # fmt: skip
    list_filter = ("status", "kind", "urgent", "spam", "notification")
    search_fields = ("reference", "name", "email", "phone")
    readonly_fields = VISITOR_FIELDS
    fields = (*VISITOR_FIELDS, "status")
    ordering = ("created_at",)
    show_full_result_count = False

    def has_add_permission(self, request):
        return False
