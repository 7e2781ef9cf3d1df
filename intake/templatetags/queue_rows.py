"""`{% queue_result_list cl %}`: the queue's table as `{% result_list cl %}` draws it, its
rows drawn once per column plan (intake/admin/rows.py)."""

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode

from intake.admin.rows import queue_result_list

register = template.Library()


@register.tag(name="queue_result_list")
def queue_result_list_tag(parser, token):
    return InclusionAdminNode(
        "queue_result_list",
        parser,
        token,
        func=queue_result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
