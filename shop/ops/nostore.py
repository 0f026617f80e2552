"""What caches may keep: nothing of one person; a storefront page only when nobody's is in it.

`Cache-Control: no-store` on every page that shows one person's order or the back office.
The checkout steps, an order's thank-you page, the guest order page opened by its signed link,
the payment pages and a shopper's own order pages hold names, addresses, phone numbers and
amounts; back-office pages hold everybody's. Neither a shared cache (a proxy) nor the browser's
history cache may keep them: on a shared computer the Back button would show the previous
person's order after they logged out. One hook, keyed on the blueprints that serve those pages
and on the /admin prefix, so a new page there is covered without anyone remembering to.

Any other page answered to a reader who sent a cookie or credentials, or that starts a session,
may hold that reader's header (their cart, their name): `Cache-Control: private`, so only their
own browser keeps it. A page read without any cookie is the same for everyone who reads it in
that language, so it says nothing and may be kept briefly by a shared cache: the nginx site
micro-caches such pages (deploy/nginx/lavka.conf, docs/deploy.md). Pages say which request
headers they depend on (`Vary: Cookie, Accept-Language`), so no cache serves one language's page
for another.

Files are left alone (Flask-Admin's own static files live under /admin too): they hold nothing
personal and must stay cacheable.
"""

from flask import Flask, request, session

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


def is_personal(response) -> bool:
    """True when the response may show this reader's own data (their header) or starts a
    session: the request carried a cookie or credentials, or the session is to be written."""
    headers = request.headers
    return bool(
        headers.get("Cookie")
        or headers.get("Authorization")
        or headers.get("Authentication-Token")
        or response.headers.get("Set-Cookie")
        or session.modified  # the session cookie is written after these hooks
    )


def _no_store(response):
    if is_private(request.endpoint, request.path):
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"  # HTTP/1.0 caches
        return response
    if response.mimetype != "text/html":
        return response  # files, feeds and JSON say their own caching or nothing
    response.vary.add("Cookie")
    response.vary.add("Accept-Language")
    if "Cache-Control" not in response.headers and is_personal(response):
        response.headers["Cache-Control"] = "private"
    return response


def init_app(app: Flask) -> None:
    app.after_request(_no_store)
