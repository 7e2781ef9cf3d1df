"""Model fields whose values are encrypted in the database (see intake.crypto)."""

import json

from django.db import models

from intake import crypto


class EncryptedTextField(models.TextField):
    """Text stored encrypted; reads and writes in Python see plain text."""

    def from_db_value(self, value, expression, connection):
        return value if value in (None, "") else crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value if value in (None, "") else crypto.encrypt(value)


class EncryptedChoiceField(EncryptedTextField):
    """One choice (like a program) stored encrypted; choices and forms work as usual."""


class EncryptedListField(models.TextField):
    """A list of short strings (like substances) stored encrypted as JSON."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return []
        return json.loads(crypto.decrypt(value))

    def to_python(self, value):
        if isinstance(value, list):
            return value
        if value in (None, ""):
            return []
        return json.loads(value)

    def get_prep_value(self, value):
        if not value:
            return ""
        return crypto.encrypt(json.dumps(list(value)))

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj))

    def formfield(self, **kwargs):
        # Forms declare their own MultipleChoiceField for this.
        return None
