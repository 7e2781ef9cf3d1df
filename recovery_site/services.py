"""Writes to staff sign-in devices: turning an authenticator app on, making a set of
recovery codes, adding and removing a passkey. Each is on the audit trail, which names the
device, never a key or code."""

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from intake.models import AuditEntry
from intake.services import audit_account_change

RECOVERY_DEVICE_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10


def audit_device(*, actor, device, operation: str, fields=()) -> None:
    """A sign-in device on the audit trail: its name and owner, and the labels of what
    changed (never a key, a code or a passkey's data)."""
    verb = "added" if operation == "added" else "changed"
    audit_account_change(
        actor=actor, action=AuditEntry.Action.DEVICE, obj=device, operation=operation,
        change_message=[{verb: {"fields": list(fields)}}] if fields else [],
    )  # fmt: skip


def confirm_authenticator(*, user, device: TOTPDevice) -> None:
    """The person typed a right code from the app: it now signs them in."""
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_device(actor=user, device=device, operation="confirmed", fields=["confirmed"])


def make_recovery_codes(*, user) -> list[str]:
    """A new set of one-time recovery codes; any older set stops working at once.

    The codes are returned to be shown once and are never readable again: the admin shows
    nobody a static device's codes (admin_guards.DeviceGuards)."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
        audit_device(actor=user, device=device, operation="added", fields=["recovery codes"])
    return codes


def add_passkey(*, user, helper, state: dict, data: dict, name: str):
    """The browser made a passkey for this person and the helper checked it: keep it under
    the name they gave it. Raises the helper's errors for a passkey that does not check out."""
    with transaction.atomic():
        device = helper.register_complete(user=user, state=state, data=data)
        device.name = name
        device.save(update_fields=["name"])
        audit_device(actor=user, device=device, operation="added", fields=["passkey"])
    return device


def remove_passkey(*, actor, device) -> None:
    """Its owner removes a passkey from their own page (administrators use the admin)."""
    with transaction.atomic():
        audit_device(actor=actor, device=device, operation="deleted")
        device.delete()
