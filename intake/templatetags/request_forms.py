"""`{% request_form form %}`: a visitor's form as `{% crispy form %}` draws it, an empty one
from the HTML kept per process and language (intake/form_cache.py)."""

from django import template

from intake.form_cache import render_request_form

register = template.Library()


@register.simple_tag(takes_context=True)
def request_form(context, form):
    return render_request_form(form, context)
