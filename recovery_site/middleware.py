"""Site-wide response policies that belong to no single view."""

from django.utils.cache import patch_cache_control


class RevalidateHtmlMiddleware:
    """Browsers must check back before reusing a page (a cheap 304 thanks to ETags).

    Without this they guess a freshness period and may keep showing an old phone number,
    or HTML naming static files a new release no longer has. Views that set their own
    Cache-Control (the forms send no-store) keep it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response and response.get("Content-Type", "").startswith(
            "text/html"
        ):
            patch_cache_control(response, no_cache=True)
        return response
