"""Staff set up their own sign-in. Where two-factor sign-in is required, a person with no
authenticator app yet is signed in unverified by their password (signin.py) and can open
only these pages: first a new password of their own (the administrator chose the first
one), then their authenticator app (the key shown only to them), then recovery codes, shown
once (recovery_codes.py). Nobody else, administrators included, ever sees a key or a code.
Until they finish, every other admin page sends them back here through the sign-in page."""

from base64 import b32encode
from datetime import timedelta
from functools import wraps

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout, update_session_auth_hash
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.db.models import Max
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from intake.models import AuditEntry
from intake.services import audit_account_change
from recovery_site.services import confirm_authenticator, make_recovery_codes

DEVICE_NAME = "Authenticator app"
# Which unconfirmed device this session has shown its owner: only that key is shown again.
SESSION_KEY = "authenticator_setup_device"
# This session chose its own password at first sign-in (the administrator knows the old one).
OWN_PASSWORD = "setup_own_password"
# The recovery codes just made, held only until the next page shows them, once.
NEW_CODES = "setup_recovery_codes"

WRONG_CODE = (
    "That code did not match. Check that you added the account shown here, then type the "
    "6 digits the app shows now."
)
SLOW_DOWN = (
    "That code came too soon after one that did not match, so we have paused checking for a "
    "few seconds. Please wait a moment, then type the newest code from the app."
)
TOO_LATE = (
    "Your account was not set up within the days allowed for it. Please ask an "
    "administrator to reset your sign-in, then sign in again."
)


def needs_authenticator(user) -> bool:
    """For the admin home: this person has no authenticator app set up yet."""
    return not TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def needs_setup(user) -> bool:
    """Signed in by password alone, with no app yet: only the setup pages are open."""
    return (
        settings.ADMIN_REQUIRE_2FA
        and user.is_authenticated
        and user.is_staff
        and not user.is_verified()
        and needs_authenticator(user)
    )


def enrolment_open(user) -> bool:
    """First setup is allowed within ENROLMENT_DAYS of the account's creation, or of an
    administrator resetting it (deleting its devices, which the audit trail records by the
    device's name and its owner's username, the last word in brackets)."""
    reset = AuditEntry.objects.filter(
        action=AuditEntry.Action.DEVICE,
        details__operation="deleted",
        details__object__endswith=f" ({user.get_username()})",
    ).aggregate(at=Max("created_at"))["at"]
    opened = max(filter(None, [user.date_joined, reset]))
    return timezone.now() < opened + timedelta(days=settings.ENROLMENT_DAYS)


def setup_page(view):
    """Open to the signed-in person with no app yet (within the window), and to any member
    of staff the admin lets in; the rest go to the sign-in page."""

    @wraps(view)
    def guarded(request, admin_site, **kwargs):
        user = request.user
        login_url = reverse("admin:login", current_app=admin_site.name)
        if needs_setup(user) and not enrolment_open(user):
            logout(request)
            messages.error(request, TOO_LATE)
            return HttpResponseRedirect(login_url)
        if not (needs_setup(user) or admin_site.has_permission(request)):
            return redirect_to_login(request.get_full_path(), login_url)
        return view(request, admin_site, **kwargs)

    return sensitive_post_parameters()(csrf_protect(never_cache(guarded)))


def page(request, admin_site, template, **context):
    """A setup page; the admin's own links are hidden until setup is done (they would only
    lead back here)."""
    context = {**admin_site.each_context(request), **context}
    if needs_setup(request.user):
        context["has_permission"] = False
    return TemplateResponse(request, template, context)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="6-digit code from the app",
        error_messages={"required": "Please type the 6-digit code the app shows."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())  # "123 456" is fine too
        if not (code.isdigit() and len(code) == self.device.digits):
            raise forms.ValidationError("Please type the 6 digits the app shows, and nothing else.")
        allowed, _ = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(SLOW_DOWN)
        if not self.device.verify_token(code):
            raise forms.ValidationError(WRONG_CODE)
        return code


def pending_device(request):
    """The person's one unconfirmed device, with a key nobody but them has been shown.

    A device this session has not shown them (made earlier, by anyone, or handed to them in
    the admin) gets a fresh key first: whoever arranged it may know its old one. The row
    lock on the person keeps two tabs from making two devices."""
    user = get_user_model().objects.select_for_update().get(pk=request.user.pk)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    elif request.session.get(SESSION_KEY) != device.pk:
        device.key, device.drift, device.last_t = default_key(), 0, -1
        device.throttle_reset(commit=False)
        device.save()
    request.session[SESSION_KEY] = device.pk
    return device


def qr_svg(device) -> str:
    """The key as a QR code, drawn here: no script, no style, no request elsewhere."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage)
    return mark_safe(image.to_string(encoding="unicode"))  # our own markup, no user text


def readable_key(device) -> str:
    """The key for typing in by hand, in groups of four (apps ignore the spaces)."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@setup_page
def new_password_view(request, admin_site):
    """First sign-in: a password of their own before anything else."""
    if not needs_setup(request.user) or request.session.get(OWN_PASSWORD):
        return HttpResponseRedirect(reverse("admin:authenticator", current_app=admin_site.name))
    form = SetPasswordForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)  # stay signed in with the new password
        audit_account_change(
            actor=user, action=AuditEntry.Action.USER, obj=user, operation="changed",
            change_message=[{"changed": {"fields": ["password"]}}],
        )  # fmt: skip
        request.session[OWN_PASSWORD] = True
        return HttpResponseRedirect(reverse("admin:authenticator", current_app=admin_site.name))
    return page(
        request, admin_site, "admin/setup_password.html",
        form=form, title="Choose your own password",
    )  # fmt: skip


@setup_page
def authenticator_view(request, admin_site):
    context = {"title": "Set up your authenticator app"}
    if not needs_authenticator(request.user):
        # Replacing a device is an administrator's job: they delete it, the person enrols.
        context.update(done=True, enrolment_days=settings.ENROLMENT_DAYS,
                       title="Sign-in and security")  # fmt: skip
        return page(request, admin_site, "admin/authenticator.html", **context)
    if needs_setup(request.user) and not request.session.get(OWN_PASSWORD):
        return HttpResponseRedirect(reverse("admin:setup_password", current_app=admin_site.name))
    with transaction.atomic():
        device = pending_device(request)
        form = CodeForm(request.POST or None, device=device)
        confirmed = request.method == "POST" and form.is_valid()
        if confirmed:
            confirm_authenticator(user=request.user, device=device)
            codes = make_recovery_codes(user=request.user)
    if confirmed:
        request.session.pop(SESSION_KEY, None)
        request.session.pop(OWN_PASSWORD, None)
        otp_login(request, device)  # this session is now verified by the app
        request.session[NEW_CODES] = codes
        return HttpResponseRedirect(reverse("admin:recovery_codes", current_app=admin_site.name))
    account = f"{settings.OTP_TOTP_ISSUER}: {request.user.get_username()}"
    context.update(form=form, qr_svg=qr_svg(device), key=readable_key(device), account=account)
    return page(request, admin_site, "admin/authenticator.html", **context)


@require_POST
@csrf_protect
def setup_sign_out_view(request, admin_site):
    """Sign out halfway through setup (the admin's own sign-out wants a verified person)."""
    logout(request)
    return HttpResponseRedirect(reverse("admin:login", current_app=admin_site.name))
