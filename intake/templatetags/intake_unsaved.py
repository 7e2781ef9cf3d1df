"""The admin's side of "never lose staff work": the idle warning's script on every staff
page, and the signed field on a request's page (see intake/unsaved_changes.py)."""

from django import template
from django.conf import settings
from django.contrib import admin
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html

from intake.unsaved_changes import KEY_FIELD, unsaved_change_key
from recovery_site.middleware import idle_seconds_left

register = template.Library()


@register.simple_tag(takes_context=True)
def unsaved_change_field(context):
    """The hidden field that lets a save after the idle limit keep what was typed."""
    request, help_request = context.get("request"), context.get("original")
    if request is None or help_request is None or not request.user.is_authenticated:
        return ""
    key = unsaved_change_key(user=request.user, help_request=help_request)
    return format_html('<input type="hidden" name="{}" value="{}">', KEY_FIELD, key)


@register.simple_tag(takes_context=True)
def idle_warning(context):
    """static/js/idle-warning.js, for signed-in staff only, told the idle limit, when to
    warn and where "Stay signed in" goes (data attributes: no inline script under the CSP)."""
    request = context.get("request")
    if request is None or not admin.site.has_permission(request):
        return ""
    return format_html(
        '<script src="{}" defer data-idle-seconds="{}" data-warn-seconds="{}" '
        'data-keep-alive-url="{}" data-csrf-token="{}"></script>',
        static("js/idle-warning.js"),
        idle_seconds_left(request),
        settings.SESSION_WARNING_SECONDS,
        reverse("admin_keep_alive"),
        get_token(request),
    )
