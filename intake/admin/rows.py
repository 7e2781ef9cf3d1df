"""The queue's rows, drawn as Django's admin draws them, at a fraction of the cost.

Django's `items_for_result` decides, for every cell of every row, what kind of column it
is (a model field? a method? which empty value? a link?), reverses the change page's URL
and re-parses the list's filters for each link, and renders the action checkbox through
the form widget templates. On the queue's 50 rows of 14 columns that was two thirds of
the page's time at 100,000 requests. Here each column is looked at once per page and a row
is only its values: the same HTML, byte for byte (tests/intake/test_queue_rows.py compares
the two on every kind of request). A column this does not know how to draw (a boolean, a
date, a lookup across a relation) is drawn by Django's own code.
"""

import datetime

from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    items_for_result,
    result_headers,
    result_hidden_fields,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import display_for_value, quote
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

PK_SLOT = "__queue_row_pk__"
# Django's own words for the action checkbox (ModelAdmin.action_checkbox), translated by
# Django's catalogue: not a literal in a gettext() call, so not one of our strings.
CHECKBOX_LABEL = "Select this object for an action - {}"


def _cell(tag: str, classes: str, html: str) -> str:
    return f'<{tag} class="{classes}">{html}</{tag}>'


class QueueRows:
    """Plans each column of `cl` (a ChangeList) once; `rows()` gives what
    `admin_list.results` gives: one ResultList of cell HTML per request on the page."""

    def __init__(self, cl):
        self.cl = cl
        self.columns = [self._plan(name) for name in cl.list_display]
        self.change_url = self._change_url()

    def _change_url(self):
        """The change page's URL with a slot for the pk, filters preserved: made once."""
        cl = self.cl
        try:
            url = reverse(
                f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change",
                args=(PK_SLOT,),
                current_app=cl.model_admin.admin_site.name,
            )
        except NoReverseMatch:
            return None
        return add_preserved_filters(
            {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url
        )

    def _plan(self, name):
        """(kind, attribute, classes, extra, empty value) for one column, or None when
        Django's own code must draw it; `extra` is the choices or the method to call."""
        cl = self.cl
        if not isinstance(name, str) or "__" in name or cl.is_popup or cl.formset:
            return None
        empty = cl.model_admin.get_empty_value_display()
        classes = f"field-{name}"
        try:
            field = cl.opts.get_field(name)
        except FieldDoesNotExist:
            field = None
        if field is not None and not field.auto_created and not field.is_relation:
            if getattr(field, "flatchoices", None):
                choices = dict(field.flatchoices)
                return ("choice", field.attname, classes, choices, empty)
            if isinstance(field, (models.CharField, models.TextField)):
                return ("text", field.attname, classes, None, empty)
            return None
        if isinstance(field, models.ForeignKey):
            return ("foreign", name, f"{classes} nowrap", None, empty)
        if field is not None:
            return None
        method = getattr(cl.model_admin, name, None)
        if method is None or not callable(method) or getattr(method, "boolean", False):
            return None
        if name == "action_checkbox":
            return ("checkbox", name, "action-checkbox", None, empty)
        return ("method", name, classes, method, getattr(method, "empty_value_display", empty))

    def rows(self):
        cl = self.cl
        if None in self.columns or self.change_url is None:
            for result in cl.result_list:
                yield ResultList(None, items_for_result(cl, result, None))
            return
        links = cl.list_display_links
        label = gettext(CHECKBOX_LABEL)
        pk_name = cl.lookup_opts.pk.attname
        for result in cl.result_list:
            cells = []
            first = True
            for kind, name, classes, extra, empty in self.columns:
                if kind == "method":
                    value = extra(result)
                    html = conditional_escape(display_for_value(value, empty))
                    if isinstance(value, (datetime.date, datetime.time)):
                        classes = f"{classes} nowrap"  # as Django marks a date
                elif kind == "choice":
                    html = conditional_escape(extra.get(getattr(result, name), empty))
                elif kind == "text":
                    html = conditional_escape(display_for_value(getattr(result, name), empty))
                elif kind == "foreign":
                    related = getattr(result, name)
                    html = conditional_escape(empty if related is None else related)
                else:  # the action checkbox, as the CheckboxInput widget renders it
                    pk = escape(str(result.pk))
                    aria = escape(label.format(str(result)))
                    html = (f'<input type="checkbox" name="_selected_action" value="{pk}" '
                            f'class="action-select" aria-label="{aria}">')  # fmt: skip
                if links is not None and (name in links or (first and not links)):
                    tag = "th" if first else "td"
                    first = False
                    url = self.change_url.replace(PK_SLOT, str(quote(getattr(result, pk_name))))
                    html = f'<a href="{escape(url)}">{html}</a>'
                    cells.append(mark_safe(_cell(tag, classes, html)))
                else:
                    cells.append(mark_safe(_cell("td", classes, html)))
            yield ResultList(None, cells)


def queue_result_list(cl) -> dict:
    """What `admin_list.result_list` gives the change_list_results.html template."""
    headers = list(result_headers(cl))
    results = list(QueueRows(cl).rows())
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": results,
        # The whole <tbody>'s rows at once: one variable for the template, not 14 per row.
        "rows_html": mark_safe("\n".join(f"<tr>{''.join(row)}</tr>" for row in results)),
    }
