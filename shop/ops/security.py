"""Security headers on every response, through Flask-Talisman.

The storefront's policy allows no inline script at all. The back office runs Flask-Admin, whose
templates carry a few inline scripts: those get a per-request nonce (Flask-Admin's
`csp_nonce_generator`), and only under /admin are inline styles allowed as well (its widgets
write style attributes). HSTS is sent only on HTTPS, and HTTPS is judged from the request
itself: an `X-Forwarded-Proto` header means something only when ProxyFix trusts the proxy
(SHOP_PROXY_COUNT), unlike Talisman's own check. nginx redirects plain HTTP to HTTPS.

Trusted hosts: Flask refuses (400) a request whose Host is not in TRUSTED_HOSTS, so a forged
Host header can never reach a link written into an email.
"""

import base64
import hashlib
import html
import re

import flask
from flask import Flask
from flask_babel import gettext as _
from flask_talisman import Talisman
from werkzeug.exceptions import SecurityError

STORE_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
ADMIN_CSP = {**STORE_CSP, "style-src": ["'self'", "'unsafe-inline'"]}
# Flask-Admin's templates put a few event handlers inline (the bulk-action menu, the delete
# confirmation, "add another variant"). No nonce can allow an attribute, so on back-office pages
# exactly these shapes are allowed by hash ('unsafe-hashes'): fixed calls whose only argument is
# a name or a plain message; any other inline handler stays blocked.
ADMIN_HANDLERS = [
    re.compile(r"return false;"),
    re.compile(r"return modelActions\.execute\('[A-Za-z0-9_-]+'\);"),
    re.compile(r"return faHelpers\.safeConfirm\('[^'\\<>]*'\);"),
    re.compile(r"faForm\.addInlineField\(this, '[A-Za-z0-9_-]+'\);"),
]
_HANDLER_ATTRIBUTE = re.compile(r"\son[a-z]+=\"([^\"]*)\"")


def allow_admin_handlers(response) -> None:
    """Add the hashes of the known Flask-Admin inline handlers on this page to script-src."""
    policy = response.headers.get("Content-Security-Policy")
    if not policy:
        return
    hashes = set()
    for value in _HANDLER_ATTRIBUTE.findall(response.get_data(as_text=True)):
        handler = html.unescape(value)
        if any(pattern.fullmatch(handler) for pattern in ADMIN_HANDLERS):
            digest = base64.b64encode(hashlib.sha256(handler.encode()).digest()).decode()
            hashes.add(f"'sha256-{digest}'")
    if hashes:
        extra = " 'unsafe-hashes' " + " ".join(sorted(hashes))
        response.headers["Content-Security-Policy"] = re.sub(
            r"(script-src [^;]*)", lambda m: m.group(1) + extra, policy, count=1
        )


PERMISSIONS_POLICY = {"camera": "()", "microphone": "()", "geolocation": "()", "payment": "()"}


class ShopTalisman(Talisman):
    admin_prefix = "/admin"

    def _get_local_options(self):
        options = dict(super()._get_local_options())
        if self._is_admin():
            options["content_security_policy"] = ADMIN_CSP
        return options

    def _set_response_headers(self, response):
        response = super()._set_response_headers(response)
        if self._is_admin() and response.mimetype == "text/html" and not response.is_streamed:
            allow_admin_handlers(response)
        return response

    def _is_admin(self):
        path = flask.request.path
        return path == self.admin_prefix or path.startswith(self.admin_prefix + "/")

    def _set_hsts_headers(self, headers):
        # Talisman also believes a raw X-Forwarded-Proto; we believe ProxyFix only.
        if self.strict_transport_security and flask.request.is_secure:
            value = f"max-age={self.strict_transport_security_max_age}"
            if self.strict_transport_security_include_subdomains:
                value += "; includeSubDomains"
            headers["Strict-Transport-Security"] = value


def init_app(app: Flask) -> None:
    hosts = app.config.get("TRUSTED_HOSTS")
    if isinstance(hosts, str):  # SHOP_TRUSTED_HOSTS=shop.example.com,www.shop.example.com
        app.config["TRUSTED_HOSTS"] = [h.strip() for h in hosts.split(",") if h.strip()]
    app.register_error_handler(SecurityError, _untrusted_host)
    talisman = ShopTalisman()
    talisman.init_app(
        app,
        force_https=False,  # nginx redirects to HTTPS; probes and metrics stay on plain HTTP
        strict_transport_security=True,
        strict_transport_security_max_age=int(app.config.get("HSTS_MAX_AGE", 31536000)),
        strict_transport_security_include_subdomains=False,
        content_security_policy=STORE_CSP,
        content_security_policy_nonce_in=["script-src"],
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        permissions_policy=PERMISSIONS_POLICY,
        session_cookie_secure=bool(app.config.get("SESSION_COOKIE_SECURE")),
        session_cookie_http_only=True,
        session_cookie_samesite=app.config.get("SESSION_COOKIE_SAMESITE", "Lax"),
        x_xss_protection=False,  # obsolete, and harmful in old browsers; CSP does the work
    )
    app.extensions["shop_talisman"] = talisman
    admin = app.extensions.get("shop_admin")
    if admin is not None:
        # Flask-Admin's inline scripts carry this nonce, so the CSP lets them (and only them) run.
        admin.csp_nonce_generator = talisman._get_nonce


def _untrusted_host(_exc):
    # No URL can be built for an untrusted host (Flask has no URL adapter for it), so the
    # usual error page, full of links, cannot be rendered: a short plain answer instead.
    return _("Bad request"), 400, {"Content-Type": "text/plain; charset=utf-8"}
