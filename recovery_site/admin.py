"""The staff admin site: two-factor sign-in where required, the queue at a glance, and
guards around accounts, roles and sign-in devices (who may change them, what is recorded)."""

from django.conf import settings
from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import Q
from django.db.models.base import ModelBase
from django.http import Http404
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from intake.models import AuditEntry

# One answer to every sign-in mistake: a guesser must not learn that the password was right.
SIGN_IN_FAILED = (
    "We could not sign you in. Please check your username, your password and the code "
    "from your authenticator app, and try again. After a few wrong codes, wait a minute "
    "before trying again."
)


class ClinicOTPLoginForm(OTPAdminAuthenticationForm):
    """Username, password and one code: the code's shape says which device to check
    (six digits: the authenticator app; else a recovery code), so django-otp's list of a
    person's devices, whose names say which phone they carry, is never shown."""

    error_messages = {**AdminAuthenticationForm.error_messages, "invalid_login": SIGN_IN_FAILED}
    otp_error_messages = dict.fromkeys(
        OTPAdminAuthenticationForm.otp_error_messages, SIGN_IN_FAILED
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["otp_device"], self.fields["otp_challenge"]
        self.fields["otp_token"].label = "Code from your authenticator app"
        self.fields["otp_token"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric"}
        )

    def _update_form(self, user):
        """django-otp would list the user's devices and re-fill the password: neither."""

    def _chosen_device(self, user):
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
        return super().login(request, extra_context)

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
        from recovery_site.enrolment import authenticator_view  # every member of staff

        setup = self.admin_view(authenticator_view)
        setup = path("authenticator/", setup, {"admin_site": self}, name="authenticator")
        urls = super().get_urls()
        return [shortcut, setup, *(u for u in urls if getattr(u, "name", "") != "view_on_site")]

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
        from django.utils import timezone

        from education.selectors import review_tiles
        from intake.admin import queue_counts
        from recovery_site.enrolment import needs_authenticator

        extra_context = {
            **(extra_context or {}),
            **queue_counts(request),
            "needs_authenticator": needs_authenticator(request.user),
            "review_tiles": review_tiles(request.user, today=timezone.localdate()),
        }
        return super().index(request, extra_context)


# --- Guards -----------------------------------------------------------------------------


def audit(request, obj, action, operation: str, message=()):
    from intake.services import audit_account_change

    audit_account_change(
        actor=request.user, action=action, obj=obj, operation=operation, change_message=message
    )


def outranks(request, user) -> bool:
    """A superuser's account and devices are out of reach of anyone who is not one."""
    return user is not None and user.is_superuser and not request.user.is_superuser


class SafeActionsMixin:
    """Every admin: a bulk action sent for ids that cannot exist is a 400, not a 500."""

    def response_action(self, request, queryset, *args, **kwargs):
        for value in request.POST.getlist(ACTION_CHECKBOX_NAME):
            try:
                self.model._meta.pk.to_python(value)
            except ValidationError:
                raise BadRequest("An action was sent for an id that cannot exist.") from None
        return super().response_action(request, queryset, *args, **kwargs)


class AuditedMixin:
    """Additions, changes and deletions go to the audit trail as well as Django's history."""

    audit_action = ""

    def lookup_allowed(self, lookup, value, request=None):
        # A list filtered on a secret (?key__regex=^a, ?password__startswith=) answers yes
        # or no, and a few hundred answers spell out the whole TOTP key or password hash.
        if lookup.split("__")[0] in {"password", "key", "bin_key", "token"}:
            return False
        return super().lookup_allowed(lookup, value, request)

    def owner(self, obj):
        """The account an object belongs to, if a superuser's is out of others' reach."""
        return None

    def log_addition(self, request, obj, message):
        audit(request, obj, self.audit_action, "added", message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        if message:  # saving an unchanged form is not a change
            audit(request, obj, self.audit_action, "changed", message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            audit(request, obj, self.audit_action, "deleted")
        return super().log_deletions(request, queryset)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and not outranks(request, obj and self.owner(obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and not outranks(request, obj and self.owner(obj))

    def get_deleted_objects(self, objs, request):
        # "Delete selected" asks has_delete_permission without an object: check each here.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if any(outranks(request, self.owner(obj)) for obj in objs):
            perms_needed = {*perms_needed, "superusers' accounts and devices"}
        return deleted, counts, perms_needed, protected

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Nobody grants a permission they do not hold, alone or within a role.
        grants = db_field.name in {"groups", "user_permissions", "permissions"}
        if grants and not request.user.is_superuser:
            held = Permission.objects.filter(Q(user=request.user) | Q(group__user=request.user))
            if db_field.name == "groups":
                lacking = Permission.objects.exclude(pk__in=held.values("pk"))
                kwargs["queryset"] = Group.objects.exclude(permissions__in=lacking)
            else:
                kwargs["queryset"] = Permission.objects.filter(pk__in=held.values("pk"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class UserGuards(AuditedMixin):
    """Only a superuser makes a superuser, or changes a superuser's account."""

    audit_action = AuditEntry.Action.USER

    def owner(self, obj):
        return obj

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if request.user.is_superuser else (*fields, "is_superuser")

    def save_model(self, request, obj, form, change):
        if obj.is_superuser and not request.user.is_superuser:
            raise PermissionDenied  # only a forged form gets here: the field is read-only
        super().save_model(request, obj, form, change)


class GroupGuards(AuditedMixin):
    audit_action = AuditEntry.Action.GROUP


class DeviceGuards(AuditedMixin):
    """Sign-in devices: their secrets shown to nobody but their owner (the TOTP key to
    nobody at all: a new device draws its own), and superusers' out of others' reach."""

    audit_action = AuditEntry.Action.DEVICE

    def owner(self, obj):
        return obj.user

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = get_user_model().objects.filter(is_superuser=False)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # A device stays with the person it was made for: moved to a colleague, a key its
        # maker had seen would sign in as them.
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "user") if obj is not None else fields

    def get_list_display(self, request):
        return [name for name in super().get_list_display(request) if name != "qrcode_link"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = []
        for title, opts in super().get_fieldsets(request, obj):
            shown = [f for f in opts["fields"] if f not in {"key", "qrcode_link"}]
            fieldsets.append((title, {**opts, "fields": shown}))
        if isinstance(obj, TOTPDevice) and obj.user_id == request.user.pk:
            fieldsets.append(("Set up your authenticator app", {"fields": ["qrcode_link"]}))
        return fieldsets

    def get_inline_instances(self, request, obj=None):
        # A static device's one-time codes: typed in when adding it, then its owner's alone.
        if obj is not None and obj.user_id != request.user.pk:
            return []
        return super().get_inline_instances(request, obj)

    def config_view(self, request, pk):
        refuse_unless_own_device(request, pk)
        return super().config_view(request, pk)

    def qrcode_view(self, request, pk):
        refuse_unless_own_device(request, pk)
        return super().qrcode_view(request, pk)


def refuse_unless_own_device(request, pk):
    """The key, as a QR code or a link, only to its owner; the same 404 for anyone else's
    device and for one that does not exist."""
    if not TOTPDevice.objects.filter(pk=pk, user=request.user).exists():
        raise Http404


GUARDS = {
    get_user_model()._meta.label_lower: (UserGuards,),
    "auth.group": (GroupGuards,),
    "otp_totp.totpdevice": (DeviceGuards,),
    "otp_static.staticdevice": (DeviceGuards,),
}
