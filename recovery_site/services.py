"""Writes to staff sign-in devices: turning an authenticator app on and making a set of
recovery codes. Each is on the audit trail, which names the device, never a key or code."""

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from intake.models import AuditEntry
from intake.services import audit_account_change

RECOVERY_DEVICE_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10


def confirm_authenticator(*, user, device: TOTPDevice) -> None:
    """The person typed a right code from the app: it now signs them in."""
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_account_change(
            actor=user, action=AuditEntry.Action.DEVICE, obj=device, operation="confirmed",
            change_message=[{"changed": {"fields": ["confirmed"]}}],
        )  # fmt: skip


def make_recovery_codes(*, user) -> list[str]:
    """A new set of one-time recovery codes; any older set stops working at once.

    The codes are returned to be shown once and are never readable again: the admin shows
    nobody a static device's codes (admin_guards.DeviceGuards)."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
        audit_account_change(
            actor=user, action=AuditEntry.Action.DEVICE, obj=device, operation="added",
            change_message=[{"added": {"fields": ["recovery codes"]}}],
        )  # fmt: skip
    return codes
