"""Guards the staff admin site puts around every model's admin (ClinicAdminSite.register):
bulk actions on impossible ids refused, and around accounts, roles and sign-in devices, who
may change them and what the audit trail records."""

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from intake.models import AuditEntry
from intake.services import audit_account_change


def audit(request, obj, action, operation: str, message=()):
    """Record a change to an account, a role or a sign-in device on the audit trail."""
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
    """Sign-in devices: their secrets shown to nobody (the TOTP key only to its owner,
    recovery codes only once as they are made), and superusers' out of others' reach."""

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
        # Recovery codes are shown once, to their owner, as they are made; never here.
        return []

    def has_add_permission(self, request):
        # A device made here for someone else would be known to its maker: a TOTP device
        # draws a key nobody sees, but recovery codes would be typed in by the maker.
        allowed = super().has_add_permission(request)
        return allowed and self.model is not StaticDevice

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


class PasskeyGuards(AuditedMixin):
    """Passkeys: administrators delete one (a reset), audited; nobody filters on or sees its
    credential data (passkeys.PasskeyAdmin shows names and dates); superusers' out of reach."""

    audit_action = AuditEntry.Action.DEVICE

    def owner(self, obj):
        return obj.user

    def lookup_allowed(self, lookup, value, request=None):
        secret = {"credential_id", "credential_id_sha256", "public_key", "aaguid", "sign_count"}
        if lookup.split("__")[0] in secret:
            return False
        return super().lookup_allowed(lookup, value, request)


GUARDS = {
    get_user_model()._meta.label_lower: (UserGuards,),
    "auth.group": (GroupGuards,),
    "otp_totp.totpdevice": (DeviceGuards,),
    "otp_static.staticdevice": (DeviceGuards,),
    "django_otp_webauthn.webauthncredential": (PasskeyGuards,),
}
