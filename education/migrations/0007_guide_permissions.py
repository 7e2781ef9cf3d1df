"""Staff keep their rights over guides after the rename from "article".

Groups hold permissions by codename (`education.change_guide`), and RenameModel leaves the
rows' old ones (`change_article` …). Django 6.1 renames them once `migrate` ends, but not
where `guide` permissions nobody holds already exist (left by an earlier try, or made by
tests/conftest.py's staff_roles): Content editors and Administrators would silently lose
the guides. So the rows are renamed here, inside the migration, and such leftovers take
over the old rows' groups and users.
"""

from django.db import migrations

ACTIONS = ("add", "change", "delete", "view")


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    # `migrate` has renamed the content type by now (Django does it after RenameModel).
    guide_type, _ = ContentType.objects.get_or_create(app_label="education", model="guide")
    for action in ACTIONS:
        old = Permission.objects.filter(
            content_type__app_label="education", codename=f"{action}_article"
        ).first()
        if old is None:
            continue
        new = Permission.objects.filter(content_type=guide_type, codename=f"{action}_guide").first()
        if new is None:
            old.content_type = guide_type
            old.codename, old.name = f"{action}_guide", f"Can {action} guide"
            old.save()
            continue
        # Leftover guide permissions nobody holds: they take over the old ones' holders.
        new.group_set.add(*old.group_set.all())
        new.user_set.add(*old.user_set.all())
        old.delete()


def backwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for action in ACTIONS:
        Permission.objects.filter(
            content_type__app_label="education", codename=f"{action}_guide"
        ).update(codename=f"{action}_article", name=f"Can {action} article")


class Migration(migrations.Migration):
    dependencies = [
        ("education", "0006_rename_article_to_guide"),
        # The roles holding these permissions, and the tables the rows live in.
        ("intake", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
