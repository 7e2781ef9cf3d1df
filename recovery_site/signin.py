"""Two-step staff sign-in when settings.ADMIN_REQUIRE_2FA: the password first, then a page
that asks only for the code. Between the two steps the half-signed-in person exists only in
this session, on the server (who, since when, how many wrong codes): it lapses after 5
minutes and after 5 wrong codes, and full sign-in gives the session a new key. Someone with
a passkey may use it instead of the code (passkeys.py). Someone with no authenticator app yet
is signed in unverified and taken to set one up (enrolment.py)."""

import time

from django import forms
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from recovery_site.enrolment import (
    SLOW_DOWN,
    TOO_LATE,
    enrolment_open,
    needs_authenticator,
    needs_setup,
)

PENDING = "signin_pending"
PENDING_SECONDS = 5 * 60
MAX_WRONG_CODES = 5

SIGN_IN_FAILED = (
    "We could not sign you in. Please check your username and your password, and try again."
)
WRONG_CODE = (
    "That code did not match. Type the 6 digits your authenticator app shows now, or one "
    "of your recovery codes."
)
TOO_MANY = "That was 5 codes that did not match, so please sign in again from the start."
TOO_SLOW = "Signing in took more than 5 minutes, so please sign in again from the start."


def has_passkey(user) -> bool:
    """Step 2 offers "Use a passkey instead" only to someone who has one."""
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


class PasswordForm(AdminAuthenticationForm):
    """Step 1. A wrong password gets one plain answer; django-axes counts it (it listens to
    authenticate()) and locks the account out as before."""

    error_messages = {**AdminAuthenticationForm.error_messages, "invalid_login": SIGN_IN_FAILED}


class CodeForm(forms.Form):
    """Step 2. The code's shape says which device to check (six digits: the authenticator
    app; else a recovery code), so nobody is shown a list of a person's devices."""

    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="No phone with you? Type one of your recovery codes instead.",
        error_messages={"required": "Please type the code your authenticator app shows."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "size": 12}
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).lower()  # "123 456" is fine too
        model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
        device = model.objects.devices_for_user(self.user, confirmed=True).first()
        if device is None:
            raise forms.ValidationError(WRONG_CODE)
        allowed, _ = device.verify_is_allowed()  # django-otp's own slowing down of guesses
        if not allowed:
            raise forms.ValidationError(SLOW_DOWN)
        if not device.verify_token(code):
            raise forms.ValidationError(WRONG_CODE)
        self.device = device
        return code


def _page(request, admin_site, template, **context):
    context = {**admin_site.each_context(request), "has_permission": False, **context}
    return TemplateResponse(request, template, context)


def _back_to_step_one(request, admin_site, next_url, message=None):
    request.session.pop(PENDING, None)
    if message:
        messages.error(request, message)
    return redirect_to_login(next_url, reverse("admin:login", current_app=admin_site.name))


@sensitive_post_parameters()
@csrf_protect
@never_cache
def password_step(request, admin_site, next_url):
    """`next_url` has been checked by ClinicAdminSite.login: never off-site."""
    if needs_setup(request.user):
        return HttpResponseRedirect(reverse("admin:authenticator", current_app=admin_site.name))
    form = PasswordForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if not needs_authenticator(user):
            request.session.cycle_key()  # nothing planted in this session before step 1 counts
            request.session[PENDING] = {
                "user": user.pk, "backend": user.backend, "at": time.time(), "wrong": 0,
                "next": next_url,
            }  # fmt: skip
            return HttpResponseRedirect(reverse("admin:login_code", current_app=admin_site.name))
        if enrolment_open(user):
            auth_login(request, user)  # signed in, not verified: only the setup pages open
            return HttpResponseRedirect(reverse("admin:authenticator", current_app=admin_site.name))
        form.add_error(None, TOO_LATE)
    return _page(
        request, admin_site, "admin/login_otp.html",
        form=form, next=next_url, title="Sign in", app_path=request.get_full_path(),
    )  # fmt: skip


def pending_sign_in(request):
    """Step 2's person, who typed their password on step 1: (pending, user, problem). The
    problem, when there is one, says why they must start again (None: no step 1 at all)."""
    pending = request.session.get(PENDING)
    if not pending:
        return None, None, None
    if time.time() - pending["at"] > PENDING_SECONDS:
        return pending, None, TOO_SLOW
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None or not user.is_staff:
        return pending, None, SIGN_IN_FAILED
    return pending, user, None


def count_wrong(request, pending) -> bool:
    """One more wrong code or passkey; True once that is too many (start again)."""
    pending["wrong"] += 1
    request.session[PENDING] = pending
    return pending["wrong"] >= MAX_WRONG_CODES


def finish_sign_in(request, user, pending, device) -> str:
    """Step 2 passed with `device`: signed in and verified; returns where they were going."""
    del request.session[PENDING]
    auth_login(request, user, backend=pending["backend"])  # a new session key
    otp_login(request, device)
    return pending["next"]


@sensitive_post_parameters()
@csrf_protect
@never_cache
def code_step(request, admin_site):
    pending, user, problem = pending_sign_in(request)
    if user is None:
        home = reverse("admin:index", current_app=admin_site.name)
        return _back_to_step_one(request, admin_site, pending["next"] if pending else home, problem)
    form = CodeForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST":
        if form.is_valid():
            return HttpResponseRedirect(finish_sign_in(request, user, pending, form.device))
        if form.data.get("code", "").strip() and count_wrong(request, pending):  # empty: no guess
            return _back_to_step_one(request, admin_site, pending["next"], TOO_MANY)
    return _page(
        request, admin_site, "admin/login_code.html",
        form=form, title="Type the code from your authenticator app",
        has_passkey=has_passkey(user),
    )  # fmt: skip
