"""Staff set up their own authenticator app: a page in the admin, open to every signed-in
member of staff, that shows a new TOTP key only to the person it belongs to and turns it
on once they type a code from it. Nobody else, administrators included, ever sees it."""

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from intake.models import AuditEntry
from intake.services import audit_account_change

DEVICE_NAME = "Authenticator app"
# Which unconfirmed device this session has shown its owner: only that key is shown again.
SESSION_KEY = "authenticator_setup_device"

WRONG_CODE = (
    "That code did not match. Check that you added the account shown here, then type the "
    "6 digits the app shows now."
)
SLOW_DOWN = (
    "That is a few wrong codes in a row, so we have paused checking for a moment. Please "
    "wait a minute, then type the newest code from the app."
)


def needs_authenticator(user) -> bool:
    """For the admin home: this person has no authenticator app set up yet."""
    return not TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


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


def authenticator_view(request, admin_site):
    context = {**admin_site.each_context(request), "title": "Set up your authenticator app"}
    if not needs_authenticator(request.user):
        # Replacing a device is an administrator's job: they delete it, the person enrols.
        return TemplateResponse(request, "admin/authenticator.html", {**context, "done": True})
    with transaction.atomic():
        device = pending_device(request)
        form = CodeForm(request.POST or None, device=device)
        if request.method == "POST" and form.is_valid():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            request.session.pop(SESSION_KEY, None)
            audit_account_change(
                actor=request.user, action=AuditEntry.Action.DEVICE, obj=device,
                operation="confirmed", change_message=[{"changed": {"fields": ["confirmed"]}}],
            )  # fmt: skip
    if request.method == "POST" and device.confirmed:
        messages.success(
            request,
            "Your authenticator app is set up. From now on, sign in with the 6-digit code "
            "it shows.",
        )
        return HttpResponseRedirect(reverse("admin:index", current_app=admin_site.name))
    account = f"{settings.OTP_TOTP_ISSUER}: {request.user.get_username()}"
    context.update(form=form, qr_svg=qr_svg(device), key=readable_key(device), account=account)
    return TemplateResponse(request, "admin/authenticator.html", context)
