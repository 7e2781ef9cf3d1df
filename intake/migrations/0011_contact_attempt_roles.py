"""Coordinators and administrators log contact attempts (added, never changed or deleted)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from recovery_site import roles

CODENAMES = ["view_contactattempt", "add_contactattempt"]


def grant(apps, schema_editor):
    # Permissions are normally created after migrations; the roles need them now.
    app_config = apps.get_app_config("intake")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="intake", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=roles.CAN_TAKE_REQUESTS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="intake", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=roles.CAN_TAKE_REQUESTS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("intake", "0010_triage_day")]

    operations = [migrations.RunPython(grant, revoke)]
