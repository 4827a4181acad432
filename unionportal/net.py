"""The client's address behind the reverse proxy, the one way every part of the portal reads it.

Behind nginx (or Caddy) every request comes from the proxy's address: without this, django-axes
locks the username for everyone behind the proxy (five anonymous requests locked any account,
admin included) and the personal-data access log records the proxy instead of the person.

`X-Forwarded-For` is believed only when the request comes from an address in
settings.TRUSTED_PROXIES (env UNIONPORTAL_TRUSTED_PROXIES, addresses or networks, empty by
default: no proxy is trusted and REMOTE_ADDR is the client). The proxy appends the address it
saw to whatever the client sent, so the client's address is the rightmost entry that is not
itself a trusted proxy; entries further left are the client's own claims and are ignored.

`ClientAddressMiddleware` (first in MIDDLEWARE) puts that address in REMOTE_ADDR, so axes, the
AccessLog and gunicorn's access log (which reads the same WSGI environ after the response) all
record the same address; the proxy's address stays in META["UNIONPORTAL_PROXY_ADDR"].
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

PROXY_ADDR_KEY = "UNIONPORTAL_PROXY_ADDR"


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _trusted(address: str, networks: tuple) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or, when that is a trusted proxy, the rightmost
    address of X-Forwarded-For that is not a trusted proxy (also AXES_CLIENT_IP_CALLABLE)."""
    meta = request.META
    remote = meta.get("REMOTE_ADDR") or None
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if remote is None or not networks or not _trusted(remote, networks):
        return remote
    forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([part for part in forwarded if part]):
        if not _trusted(address, networks):
            return _valid(address) or remote
    return remote


class ClientAddressMiddleware:
    """Put the client's address (client_ip) in REMOTE_ADDR for everything after it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if PROXY_ADDR_KEY not in request.META:
            address = client_ip(request)
            request.META[PROXY_ADDR_KEY] = request.META.get("REMOTE_ADDR", "")
            if address:
                request.META["REMOTE_ADDR"] = address
        return self.get_response(request)
