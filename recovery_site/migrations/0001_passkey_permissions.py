"""Administrators see who has which passkeys and delete one (a reset); nobody adds or
changes one in the admin: its owner's own device makes it (recovery_site/passkeys.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from recovery_site import roles

CODENAMES = ["view_webauthncredential", "delete_webauthncredential"]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="django_otp_webauthn", codename__in=CODENAMES
    )


def grant(apps, schema_editor):
    # Permissions are normally created after migrations; the role needs them now.
    app_config = apps.get_app_config("django_otp_webauthn")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name=roles.ADMINISTRATORS):
        group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name=roles.ADMINISTRATORS):
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0002_roles"),
        ("django_otp_webauthn", "0004_webauthnuserhandle"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
