"""Passkeys (WebAuthn, through django-otp-webauthn): a phishing-resistant alternative to the
code at sign-in step 2. A verified member of staff adds, names and removes their own on
their passkeys page; step 2 offers "Use a passkey instead" to someone who has one, with
JavaScript (static/js/passkey.js); without it the code field works as before.

The browser talks to the small JSON views here, not to the package's own: those would let
someone signed in by password alone (halfway through first setup) add a passkey, and would
sign in a person no password step named. Administrators only delete passkeys (a reset), in
the admin, which shows no credential data (admin_guards.PasskeyGuards)."""

import json

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST
from django_otp_webauthn import exceptions
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.utils import rewrite_exceptions

from recovery_site.middleware import admin_language
from recovery_site.models import ADMIN_LANGUAGE_SESSION_KEY, StaffPreferences
from recovery_site.services import add_passkey, audit_device, remove_passkey
from recovery_site.signin import TOO_MANY, count_wrong, finish_sign_in, pending_sign_in

# The ceremony the browser was asked for, kept on the server until it answers, once.
REGISTER_STATE = "passkey_register_state"
SIGN_IN_STATE = "passkey_sign_in_state"
NAME_MAX = WebAuthnCredential._meta.get_field("name").max_length
START_AGAIN = "Please sign in again from the start."
FAILED = "That passkey did not work. Try again, or type the code from your authenticator app."


class PasskeyAdmin(admin.ModelAdmin):
    """Which passkeys a person has, to delete one (a reset): names and dates, no key data."""

    list_display = ["user", "name", "created_at", "last_used_at"]
    list_filter = ["created_at", "last_used_at"]
    search_fields = ["user__username", "name"]
    fields = readonly_fields = ["user", "name", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # a passkey is made by its owner's own device, never here

    def has_change_permission(self, request, obj=None):
        return False


# The admin's registry is filled as apps' admin modules load; the project package has no
# models of its own to put there, so this module, which urls.py imports, registers it.
admin.site.register(WebAuthnCredential, PasskeyAdmin)


def _body(request, key=None) -> dict:
    """The browser's JSON answer (or one part of it); anything else is a 400."""
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise exceptions.MalformedRequest() from None
    if isinstance(data, dict) and key:
        data = data.get(key)
    if not isinstance(data, dict):
        raise exceptions.MalformedRequest()
    return data


def _refused(exc: exceptions.OTPWebAuthnApiError, detail=None) -> JsonResponse:
    return JsonResponse({"detail": detail or str(exc.detail)}, status=exc.status_code)


class AdminLanguageForm(forms.Form):
    """The language of the person's own admin; the admin's own words in each language."""

    admin_language = forms.ChoiceField(
        label="Language of the admin", choices=settings.LANGUAGES, widget=forms.RadioSelect,
        help_text="Only your own admin pages change: Django's own screens, buttons and "
        "dates. The clinic's own words there stay in English, and visitors' pages are "
        "never affected.",
    )  # fmt: skip


def passkeys_view(request, admin_site):
    """Their own passkeys, and a way to add one; nobody else's, ever. Their admin's language."""
    context = {
        **admin_site.each_context(request),
        "title": "Your passkeys",
        "passkeys": WebAuthnCredential.objects.filter(user=request.user).order_by("created_at"),
        "name_max": NAME_MAX,
        "language_form": AdminLanguageForm(initial={"admin_language": admin_language(request)}),
    }
    return TemplateResponse(request, "admin/passkeys.html", context)


@require_POST
def admin_language_view(request, admin_site):
    """Their own choice only: the form names no person."""
    form = AdminLanguageForm(request.POST)
    if form.is_valid():
        language = form.cleaned_data["admin_language"]
        StaffPreferences.objects.update_or_create(
            user=request.user, defaults={"admin_language": language}
        )
        request.session[ADMIN_LANGUAGE_SESSION_KEY] = language
        messages.success(request, "The language of your admin is saved.")
    return HttpResponseRedirect(reverse("passkeys:list"))


@require_POST
def remove_view(request, admin_site, pk):
    """Only one of their own: anyone else's is the same 404 as one that does not exist."""
    device = get_object_or_404(WebAuthnCredential, pk=pk, user=request.user)
    remove_passkey(actor=request.user, device=device)
    messages.success(request, f"The passkey “{device.name}” was removed.")
    return HttpResponseRedirect(reverse("passkeys:list"))


@require_POST
def register_begin_view(request, admin_site):
    helper = WebAuthnCredential.get_webauthn_helper(request=request)
    options, request.session[REGISTER_STATE] = helper.register_begin(user=request.user)
    return JsonResponse(options)


@require_POST
def register_complete_view(request, admin_site):
    state = request.session.pop(REGISTER_STATE, None)
    request.session.save()  # gone before anything else: a ceremony is answered only once
    try:
        credential = _body(request, "credential")
        if not state:
            raise exceptions.InvalidState()
        name = " ".join(str(_body(request).get("name", "")).split())[:NAME_MAX] or "Passkey"
        helper = WebAuthnCredential.get_webauthn_helper(request=request)
        with rewrite_exceptions():  # a passkey that fails is no server error
            add_passkey(
                user=request.user, helper=helper, state=state, data=credential,
                name=name,
            )  # fmt: skip
    except exceptions.OTPWebAuthnApiError as exc:
        return _refused(exc)
    messages.success(request, f"Your passkey “{name}” was added. You can sign in with it now.")
    return JsonResponse({"redirect_url": reverse("passkeys:list")})


@require_POST
@csrf_protect
@never_cache
def sign_in_begin_view(request, admin_site):
    """Step 2 with a passkey: only for the person who typed their password on step 1."""
    _pending, user, _problem = pending_sign_in(request)
    if user is None:
        return JsonResponse({"detail": START_AGAIN, "restart": True}, status=403)
    helper = WebAuthnCredential.get_webauthn_helper(request=request)
    options, state = helper.authenticate_begin(user=user, require_user_verification=False)
    request.session[SIGN_IN_STATE] = state
    return JsonResponse(options)


@require_POST
@csrf_protect
@never_cache
def sign_in_complete_view(request, admin_site):
    state = request.session.pop(SIGN_IN_STATE, None)
    request.session.save()
    pending, user, _problem = pending_sign_in(request)
    if user is None or not state:
        return JsonResponse({"detail": START_AGAIN, "restart": True}, status=403)
    helper = WebAuthnCredential.get_webauthn_helper(request=request)
    try:
        with rewrite_exceptions():  # a passkey that fails is no server error
            # The helper refuses a passkey that is not this person's.
            device = helper.authenticate_complete(user=user, state=state, data=_body(request))
        if not device.confirmed:
            raise exceptions.CredentialDisabled()
    except exceptions.OTPWebAuthnApiError as exc:
        if count_wrong(request, pending):
            messages.error(request, TOO_MANY)
            return JsonResponse({"detail": TOO_MANY, "restart": True}, status=403)
        return _refused(exc, FAILED)
    next_url = finish_sign_in(request, user, pending, device)
    audit_device(actor=user, device=device, operation="signed in")  # never its data
    return JsonResponse({"redirect_url": next_url})


def _staff(view):
    """Open to signed-in, verified staff (the admin's own check), else to the sign-in page."""

    def wrapped(request, **kwargs):
        return admin.site.admin_view(view)(request, admin.site, **kwargs)

    return wrapped


def _step_two(view):
    def wrapped(request, **kwargs):
        return view(request, admin.site, **kwargs)

    return wrapped


app_name = "passkeys"
urlpatterns = [
    path("", _staff(passkeys_view), name="list"),
    path("<int:pk>/remove/", _staff(remove_view), name="remove"),
    path("language/", _staff(admin_language_view), name="admin_language"),
    path("add/begin/", _staff(register_begin_view), name="register_begin"),
    path("add/complete/", _staff(register_complete_view), name="register_complete"),
    path("sign-in/begin/", _step_two(sign_in_begin_view), name="sign_in_begin"),
    path("sign-in/complete/", _step_two(sign_in_complete_view), name="sign_in_complete"),
]
