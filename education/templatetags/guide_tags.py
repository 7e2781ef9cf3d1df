"""Template filters for the guides' pages in the visitor's language."""

from django import template

register = template.Library()


@register.filter
def translated(row, field: str) -> str:
    """A topic's or reviewer's `field` in the page's language ({{ topic|translated:"title" }})."""
    return row.translated(field)


@register.filter
def signature(reviewer) -> str:
    """ "Name, MD, addiction medicine", the specialty in the page's language."""
    parts = (reviewer.name, reviewer.credentials, reviewer.translated("specialty"))
    return ", ".join(part for part in parts if part)
