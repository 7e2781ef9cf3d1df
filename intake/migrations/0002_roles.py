"""Staff roles: Intake coordinators, Content editors and Administrators."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from recovery_site import roles

ROLES = {
    roles.COORDINATORS: [
        "intake.view_helprequest", "intake.change_helprequest", "intake.export_helprequest",
        "intake.view_note", "intake.add_note", "intake.view_event",
    ],
    roles.CONTENT_EDITORS: [
        f"education.{action}_{model}"
        for model in ("topic", "article", "source", "slugredirect")
        for action in ("view", "add", "change", "delete")
    ],
    roles.ADMINISTRATORS: "__all__",
}  # fmt: skip


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrations; roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        if codenames == "__all__":
            permissions = Permission.objects.exclude(
                content_type__app_label="intake", content_type__model="auditentry",
                codename__in=["add_auditentry", "change_auditentry", "delete_auditentry"],
            )  # fmt: skip
        else:
            wanted = [c.split(".") for c in codenames]
            permissions = [
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in wanted
            ]
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0001_initial"),
        ("education", "0002_shipped_guide"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        # Administrators get every permission, so every app's models must exist first.
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
        ("axes", "0010_accessattemptexpiration"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
        ("sessions", "0001_initial"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
