"""The staff admin site: two-factor sign-in where required, and the queue at a glance."""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


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
        return OTPAdminAuthenticationForm if settings.ADMIN_REQUIRE_2FA else AdminAuthenticationForm

    @property
    def login_template(self):
        return "otp/admin111/login.html" if settings.ADMIN_REQUIRE_2FA else "admin/login.html"

    def has_permission(self, request):
        if settings.ADMIN_REQUIRE_2FA:
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)

    def index(self, request, extra_context=None):
        from intake.admin import queue_counts

        extra_context = {**(extra_context or {}), **queue_counts(request)}
        return super().index(request, extra_context)
