"""Rows for statements the ORM cannot write (several inserts that depend on each other in one
round trip), with exactly the values Model.save() would write."""

from django.db import connection
from django.db.models import signals
from django.db.models.fields import AutoFieldMixin

# Per model: the fields an INSERT writes (the database numbers an auto primary key).
_FIELDS: dict[type, list] = {}


def insert_values(instance) -> tuple[str, dict[str, object]]:
    """The table and {column: database value} for inserting the unsaved `instance`: after
    the model's pre_save signal, each field's pre_save (auto_now_add ...) and
    get_db_prep_save (encryption, JSON ...), as Model.save() does. The caller sends
    post_save once the row is written."""
    model = type(instance)
    signals.pre_save.send(
        sender=model, instance=instance, raw=False, using=connection.alias, update_fields=None
    )
    if model not in _FIELDS:
        _FIELDS[model] = [
            field
            for field in model._meta.local_concrete_fields
            if not isinstance(field, AutoFieldMixin) and not field.generated
        ]
    return model._meta.db_table, {
        field.column: field.get_db_prep_save(field.pre_save(instance, True), connection)
        for field in _FIELDS[model]
    }


def saved(instance) -> None:
    """Tell post_save's receivers that `instance` was written as a new row."""
    instance._state.adding = False
    instance._state.db = connection.alias
    signals.post_save.send(
        sender=type(instance),
        instance=instance,
        created=True,
        update_fields=None,
        raw=False,
        using=connection.alias,
    )
