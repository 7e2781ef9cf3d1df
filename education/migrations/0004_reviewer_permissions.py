"""Administrators keep the list of reviewers; content editors choose from it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from recovery_site import roles

GRANTS = {
    roles.CONTENT_EDITORS: ["view_reviewer"],
    roles.ADMINISTRATORS: ["view_reviewer", "add_reviewer", "change_reviewer", "delete_reviewer"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("education")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="education", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("education", "0003_reviewers_and_review_cycle"),
        ("intake", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
