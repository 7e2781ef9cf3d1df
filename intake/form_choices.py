"""The visitor forms' lists of choices, settled once per form class and shared by every form
built from it.

Django copies each choice field's list, lazy labels and all, for every form it builds, so
that a form may change its own; ours never change a list once the class is made. That copy
was over half the time of building a consultation form, which happens on every send.
"""

from django import forms
from django.utils.choices import BaseChoiceIterator, normalize_choices


class FixedChoices(BaseChoiceIterator):
    """A list of choices that copying a field (or its widget) shares instead of copying."""

    def __init__(self, choices):
        self.choices = tuple(normalize_choices(choices))

    def __iter__(self):
        return iter(self.choices)

    def __len__(self):
        return len(self.choices)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


def fixed_choices(*, without_blank=(), first_choice=None):
    """A class decorator: every choice field of the form gets FixedChoices. Fields named in
    `without_blank` (radio buttons) lose the model's empty "---------" choice; `first_choice`
    maps a field's name to the words of its empty choice instead."""
    first_choice = first_choice or {}

    def settle(form_class: type[forms.BaseForm]) -> type[forms.BaseForm]:
        for name, field in form_class.base_fields.items():
            if not isinstance(field, forms.ChoiceField):
                continue
            choices = list(field.choices)
            if name in without_blank or name in first_choice:
                choices = [choice for choice in choices if choice[0] not in ("", None)]
            if name in first_choice:
                choices.insert(0, ("", first_choice[name]))
            field.choices = FixedChoices(choices)
        return form_class

    return settle
