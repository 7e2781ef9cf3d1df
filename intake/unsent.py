"""A request form shown again after it was posted but not stored (Post/Redirect/Get).

A page that answers a POST stays in the browser's history as that POST: Back to it, or
Reload, gives "Confirm form resubmission" or a browser error page. So every answer that
shows the form again (mistakes, "Send now", already sent, the submission limit) redirects
to the form's own address with `?check=1`, and what was typed waits in the visitor's
session, encrypted (it may hold health information), never in the URL.
"""

import json

from django.http import QueryDict

from intake import crypto

SESSION_KEY = "intake_unsent"
# The query that marks the page showing it again; any other showing of the form forgets it.
CHECK_QUERY = "check"


def keep_unsent(*, session, kind: str, typed: QueryDict, notice: dict) -> None:
    """Keep what was typed, and why it is shown again (`notice`: the page's context flags,
    never anything the visitor typed), for the next showing of the form marked CHECK_QUERY."""
    fields = {name: values for name, values in typed.lists() if name != "csrfmiddlewaretoken"}
    session[SESSION_KEY] = {
        "kind": kind,
        "data": crypto.encrypt(json.dumps(fields)),
        "notice": notice,
    }


def take_unsent(*, request, kind: str) -> tuple[QueryDict, dict] | None:
    """What this visitor sent and why it is shown again, on the page that shows it; any
    other showing of the form (a new visit, Back after sending) starts empty and forgets it."""
    unsent = request.session.get(SESSION_KEY)
    if not unsent or unsent.get("kind") != kind:
        return None
    if CHECK_QUERY not in request.GET:
        forget_unsent(session=request.session)
        return None
    try:
        fields = json.loads(crypto.decrypt(unsent["data"]))
    except ValueError:  # encrypted with a key since retired: show the form empty
        return None
    data = QueryDict(mutable=True)
    for name, values in fields.items():
        data.setlist(name, values)
    return data, unsent.get("notice", {})


def forget_unsent(*, session) -> None:
    session.pop(SESSION_KEY, None)
