"""The staff admin site: two-factor sign-in where required (signin.py; first setup in
enrolment.py) and the queue at a glance. The guards it puts around accounts, roles and
sign-in devices are in admin_guards.py."""

from django.conf import settings
from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.db.models.base import ModelBase
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.admin import OTPAdminSite

from education.selectors import review_tiles
from intake.models import AuditEntry
from intake.selectors import queue_counts
from recovery_site.admin_guards import GUARDS, SafeActionsMixin, audit
from recovery_site.enrolment import (
    authenticator_view,
    needs_authenticator,
    new_password_view,
    setup_sign_out_view,
)
from recovery_site.recovery_codes import new_codes_view, show_codes_view
from recovery_site.signin import code_step, password_step


class ClinicAdminSite(OTPAdminSite):
    """Requires a TOTP code at sign-in when settings.ADMIN_REQUIRE_2FA (production default)."""

    site_header = "Clinic staff"
    site_title = "Clinic staff"
    index_title = "Requests for help and guides"
    index_template = "admin/clinic_index.html"
    # Without ADMIN_REQUIRE_2FA, Django's own sign-in; with it, signin.py's two steps.
    login_form = AdminAuthenticationForm
    login_template = "admin/login.html"

    def __init__(self, name="admin"):
        super().__init__(name)

    def has_permission(self, request):
        if settings.ADMIN_REQUIRE_2FA:
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every model's admin, ours or a package's, gets the guards that apply to it."""
        models = (
            [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else model_or_iterable
        )
        for model in models:
            base = admin_class or ModelAdmin
            guards = (*GUARDS.get(model._meta.label_lower, ()), SafeActionsMixin)
            guarded = type(base.__name__, (*guards, base), {"__module__": base.__module__})
            super().register(model, guarded, **options)

    def login(self, request, extra_context=None):
        # Django refuses an off-site ?next= but then lands on LOGIN_REDIRECT_URL, a page this
        # site does not have: staff go to the admin home instead.
        home = reverse("admin:index", current_app=self.name)
        for method in ("GET", "POST"):
            data = getattr(request, method)
            target = data.get(REDIRECT_FIELD_NAME)
            if target and not url_has_allowed_host_and_scheme(
                target, {request.get_host()}, require_https=request.is_secure()
            ):
                data = data.copy()
                data[REDIRECT_FIELD_NAME] = home
                setattr(request, method, data)
        if not settings.ADMIN_REQUIRE_2FA:
            return super().login(request, extra_context)
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(home)
        next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
        return password_step(request, self, next_url or home)

    def password_change(self, request, extra_context=None):
        response = super().password_change(request, extra_context)
        if request.method == "POST" and response.status_code == 302:
            message = [{"changed": {"fields": ["password"]}}]
            audit(request, request.user, AuditEntry.Action.USER, "changed", message)
        return response

    def get_urls(self):
        shortcut = path(
            "r/<path:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site_shortcut),
            name="view_on_site",
        )
        site = {"admin_site": self}
        # Sign-in and first setup: open before the admin lets the person in (signin.py and
        # enrolment.py check who may see them); recovery codes: for signed-in staff only.
        sign_in = [
            path("login/code/", code_step, site, name="login_code"),
            path("setup/password/", new_password_view, site, name="setup_password"),
            path("authenticator/", authenticator_view, site, name="authenticator"),
            path("setup/sign-out/", setup_sign_out_view, site, name="setup_sign_out"),
            path("recovery-codes/", self.admin_view(show_codes_view), site, name="recovery_codes"),
            path(
                "recovery-codes/new/", self.admin_view(new_codes_view), site,
                name="new_recovery_codes",
            ),
        ]  # fmt: skip
        urls = super().get_urls()
        return [
            shortcut, *sign_in, *(u for u in urls if getattr(u, "name", "") != "view_on_site")
        ]  # fmt: skip

    def view_on_site_shortcut(self, request, content_type_id, object_id):
        """Django's shortcut answers 404 for a missing object and a redirect for an existing
        one, to any member of staff: a way to learn which request ids exist. Here anyone
        who may not see the model gets the same 404 whatever the id."""
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ValueError, ContentType.DoesNotExist):
            raise Http404 from None
        model_admin = self._registry.get(model)
        if model_admin is None or not model_admin.has_view_or_change_permission(request):
            raise Http404
        return contenttype_views.shortcut(request, content_type_id, object_id)

    def index(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            **queue_counts(user=request.user),
            "needs_authenticator": needs_authenticator(request.user),
            "review_tiles": review_tiles(request.user, today=timezone.localdate()),
        }
        return super().index(request, extra_context)
