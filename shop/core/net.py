"""Who is asking: the client address as far as we can trust it, and which proxy to believe.

A client can write any `X-Forwarded-*` header. They are believed only on requests that came
through our nginx site: it speaks the uwsgi protocol to the app's socket and marks each request
with the WSGI variable `LAVKA_PROXY` (`uwsgi_param LAVKA_PROXY 1;`). That variable cannot be
sent over HTTP (uWSGI turns every header into an `HTTP_*` name), so a request to the plain
HTTP listener (the demo, probes, Prometheus) is taken as it is, whatever headers it carries,
even with SHOP_PROXY_COUNT set. nginx also overwrites the forwarded headers it passes on, so a
client's own values never reach the app. `X-Forwarded-Prefix` and `-Port` are never read: a
shop mounted under a path gets it from the proxy as SCRIPT_NAME.
"""

from flask import request
from werkzeug.middleware.proxy_fix import ProxyFix

PROXY_MARK = "LAVKA_PROXY"


class TrustedProxyFix:
    """ProxyFix (X-Forwarded-For, -Proto, -Host from `proxies` hops) for marked requests only."""

    def __init__(self, app, proxies: int):
        self.app = app
        self.fixed = ProxyFix(
            app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=0, x_prefix=0
        )

    def __call__(self, environ, start_response):
        if environ.get(PROXY_MARK) == "1":
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)


def client_address() -> str:
    return request.remote_addr or "unknown"
