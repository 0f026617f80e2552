"""`Cache-Control: no-store` on every page that shows one person's order or the back office.

The checkout steps, an order's thank-you page, the guest order page opened by its signed link,
the payment pages and a shopper's own order pages hold names, addresses, phone numbers and
amounts; back-office pages hold everybody's. Neither a shared cache (a proxy) nor the browser's
history cache may keep them: on a shared computer the Back button would show the previous
person's order after they logged out. One hook, keyed on the blueprints that serve those pages
and on the /admin prefix, so a new page there is covered without anyone remembering to.

Files are left alone (Flask-Admin's own static files live under /admin too): they hold nothing
personal and must stay cacheable. The storefront's page cache (shop/core/cache.py) is unaffected:
it keeps only catalogue pages, none of which are named here, and it already refuses to keep a
response that says no-store.
"""

from flask import Flask, request

# Every page of these blueprints is about one order (or the one being placed).
PRIVATE_BLUEPRINTS = frozenset({"checkout", "orders", "payments"})
ADMIN_PREFIX = "/admin"


def is_private(endpoint: str | None, path: str) -> bool:
    """True when the response to this endpoint / path must not be stored by any cache."""
    if endpoint is not None and (endpoint == "static" or endpoint.endswith(".static")):
        return False
    if path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/"):
        return True
    blueprint = endpoint.rpartition(".")[0] if endpoint else ""
    return blueprint in PRIVATE_BLUEPRINTS


def _no_store(response):
    if is_private(request.endpoint, request.path):
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"  # HTTP/1.0 caches
    return response


def init_app(app: Flask) -> None:
    app.after_request(_no_store)
