"""`make bench`'s bare Django reference: Django with no middleware, no apps and no database,
answering every path with the bytes of a saved page (a guide, saved by scripts/bench.py).

    BARE_DJANGO_PAGE=.data/bench-guide.html gunicorn --pythonpath scripts bare_django:application

It is the most a Django process can serve on this machine, so a page's ratio to it shows
what our own code costs. A reference only: never part of the product or its URLs.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import re_path

PAGE = Path(os.environ["BARE_DJANGO_PAGE"]).read_bytes()


def page(request):
    response = HttpResponse(PAGE, content_type="text/html; charset=utf-8")
    # Our pages carry one; without it gunicorn would send these bytes chunked, and the two
    # would not be the same response on the wire.
    response["Content-Length"] = len(PAGE)
    return response


urlpatterns = [re_path(r"", page)]

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    # No sessions, signing or forms here, but Django wants one.
    SECRET_KEY="bare-django-reference-for-make-bench-only",
)

application = get_wsgi_application()
