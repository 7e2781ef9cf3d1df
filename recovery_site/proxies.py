"""Which connections come from our own proxies (TRUSTED_PROXIES), and what follows from it.

Headers a proxy adds (X-Forwarded-For, X-Forwarded-Proto) are believed only on connections
from one of them; anyone else could write them to choose their address or their scheme.
"""

import ipaddress

from django.conf import settings


def parse_ip(text: str):
    """An address, or None. IPv4 peers of a dual-stack socket (::ffff:a.b.c.d) as IPv4."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def is_trusted_proxy(address) -> bool:
    return address is not None and any(address in network for network in settings.TRUSTED_PROXIES)


class ForwardedHeadersMiddleware:
    """Drop X-Forwarded-* headers that did not come from one of our proxies.

    Only once TRUSTED_PROXIES is set: until then the deployment check warns, and the app
    keeps believing X-Forwarded-Proto, as a proxy without a configured address needs.
    """

    HEADERS = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_HOST")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.TRUSTED_PROXIES and not is_trusted_proxy(
            parse_ip(request.META.get("REMOTE_ADDR", ""))
        ):
            for header in self.HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)
