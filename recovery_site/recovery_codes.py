"""Recovery codes: ten one-time codes that sign a person in when their phone is not with
them. Shown once, on the page right after they are made, and never again to anyone; a
person makes a new set from their own page, and the old set stops working at once."""

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from recovery_site.enrolment import NEW_CODES, page
from recovery_site.services import make_recovery_codes


def show_codes_view(request, admin_site):
    """The codes just made, taken out of the session as they are shown: a reload or Back
    finds them gone."""
    codes = request.session.pop(NEW_CODES, None)
    return page(
        request, admin_site, "admin/recovery_codes.html",
        codes=codes, title="Your recovery codes",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def new_codes_view(request, admin_site):
    if request.method == "POST":
        request.session[NEW_CODES] = make_recovery_codes(user=request.user)
        return HttpResponseRedirect(reverse("admin:recovery_codes", current_app=admin_site.name))
    return page(
        request, admin_site, "admin/recovery_codes_new.html", title="Make new recovery codes"
    )
