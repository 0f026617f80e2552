"""Who is asking: the client address as far as we can trust it.

`request.remote_addr` is already corrected by ProxyFix when (and only when) SHOP_PROXY_COUNT
is set, so a forged X-Forwarded-For from the open internet is never believed.
"""

from flask import request


def client_address() -> str:
    return request.remote_addr or "unknown"
