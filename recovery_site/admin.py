"""The staff admin site: two-factor sign-in where required, and the queue at a glance."""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


class ClinicOTPLoginForm(OTPAdminAuthenticationForm):
    """Username, password and one code: the code's shape says which device to check.

    django-otp asks staff to pick a device before it checks a code (it no longer tries
    every device, so unrelated ones are not throttled). Six digits come from the
    authenticator app; anything else is a one-time recovery code.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["otp_token"].label = "Code from your authenticator app"
        self.fields["otp_device"].label = "Device"
        self.fields["otp_token"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric"}
        )

    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        if device is not None:
            return device
        token = (self.cleaned_data.get("otp_token") or "").strip()
        if token.isdigit() and len(token) == 6:
            return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
        return StaticDevice.objects.devices_for_user(user, confirmed=True).first()


class ClinicAdminSite(OTPAdminSite):
    """Requires a TOTP code at sign-in when settings.ADMIN_REQUIRE_2FA (production default)."""

    site_header = "Clinic staff"
    site_title = "Clinic staff"
    index_title = "Requests for help and guides"
    index_template = "admin/clinic_index.html"

    def __init__(self, name="admin"):
        super().__init__(name)

    @property
    def login_form(self):
        return ClinicOTPLoginForm if settings.ADMIN_REQUIRE_2FA else AdminAuthenticationForm

    @property
    def login_template(self):
        return "admin/login_otp.html" if settings.ADMIN_REQUIRE_2FA else "admin/login.html"

    def has_permission(self, request):
        if settings.ADMIN_REQUIRE_2FA:
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)

    def index(self, request, extra_context=None):
        from django.utils import timezone

        from education.selectors import review_tiles
        from intake.admin import queue_counts

        extra_context = {
            **(extra_context or {}),
            **queue_counts(request),
            "review_tiles": review_tiles(request.user, today=timezone.localdate()),
        }
        return super().index(request, extra_context)
