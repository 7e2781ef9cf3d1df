"""Who may publish and approve guides: content editors publish and see the revisions; the
new Clinical reviewers role approves medical changes; administrators may do both."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from recovery_site import roles

GRANTS = {
    roles.CONTENT_EDITORS: ["publish_guide", "view_guiderevision", "add_guiderevision"],
    # They read a draft on the guide's change form, correct it (its sources too: a source's
    # rows are part of the medical content) and approve others' drafts there.
    roles.CLINICAL_REVIEWERS: [
        "view_guide", "change_guide", "approve_guide", "view_guiderevision", "view_topic",
        "view_reviewer", "view_source", "add_source", "change_source", "delete_source",
    ],
    roles.ADMINISTRATORS: [
        "publish_guide", "approve_guide", "view_guiderevision", "add_guiderevision",
        "change_guiderevision", "delete_guiderevision",
    ],
}  # fmt: skip


def grant(apps, schema_editor):
    # Permissions are normally created after migrations; the roles need these now.
    app_config = apps.get_app_config("education")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        # The clinical reviewers' group is new; the others exist wherever roles were made.
        group = (
            Group.objects.get_or_create(name=name)[0]
            if name == roles.CLINICAL_REVIEWERS
            else Group.objects.filter(name=name).first()
        )
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="education", codename__in=codenames
                )
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.filter(name=roles.CLINICAL_REVIEWERS).delete()
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="education", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("education", "0011_editorial_workflow"),
        ("intake", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
