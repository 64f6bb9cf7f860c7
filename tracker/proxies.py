"""Which address a request came from, behind the proxies the deployment says it has.

TRUSTED_PROXY_COUNT is the number of proxies in front of the service (the ingress is
one). Each appends the address it received the request from to X-Forwarded-For, so the
client is the entry that many places from the right; anything left of it was written by
the client and is ignored. With no trusted proxies, X-Forwarded-For (and
X-Forwarded-Proto, see settings) are not honoured at all and the client is the socket's
peer. Sign-in throttling (axes), the health details allow-list and the request log all
read the address this middleware settles on.
"""

import ipaddress

from django.conf import settings


def client_address(meta) -> str:
    """The client's address from a request's META, by the trusted proxy count."""
    peer = meta.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return peer
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        # Not through every proxy we were told of: the peer is all we can vouch for.
        return peer
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return peer


def axes_client_address(request) -> str:
    """For AXES_CLIENT_IP_CALLABLE: the address TrustedProxyMiddleware settled on."""
    return request.META.get("REMOTE_ADDR", "")


class TrustedProxyMiddleware:
    """Put the client's address in REMOTE_ADDR for everything after it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META["REMOTE_ADDR"] = client_address(request.META)
        return self.get_response(request)
