"""The few places the shop leans on a library's private names, each pinned by a test that fails
on the upgrade that would break it (issue 15.6). Each test names what it guards:

* Flask-Security-Too: our mail, password and TOTP classes are set as `_mail_util_cls`,
  `_password_util_cls` and `_totp_cls` on the unbound `Security()` before `init_app`
  (shop.accounts.security.security_options): its constructor takes them, `init_app` does not.
* Flask-Babel: the request's locale is read from `g._flask_babel` (shop.core.i18n).
* Flask-Talisman: ShopTalisman overrides `_get_local_options`, `_set_response_headers` and
  `_set_hsts_headers`, and gives Flask-Admin `_get_nonce` (shop.ops.security).
* Flask-WTF: the back office's base form keeps `flask_wtf.form._Auto` as its default formdata.
* Flask-Login / Flask-Security / Flask-Principal / Flask-WTF: the per-request caches on `g`
  dropped by shop.accounts.security._forget_cached_login.
"""

import inspect

from flask import g
from flask_babel import get_locale


def test_flask_security_builds_our_utility_classes(app):
    from shop.accounts.mail import OutboxMailUtil
    from shop.accounts.passwords import ShopPasswordUtil
    from shop.accounts.totp import ShopTotp

    security = app.extensions["security"]
    assert isinstance(security.mail_util, OutboxMailUtil)
    assert isinstance(security.password_util, ShopPasswordUtil)
    assert isinstance(security.totp_factory, ShopTotp)


def test_flask_babel_keeps_the_locale_where_the_shop_reads_it(app):
    from shop.core.i18n import request_locale

    with app.test_request_context("/?lang=en"):
        locale = get_locale()
        read, namespace = request_locale()
        assert read is locale and namespace is g.__dict__["_flask_babel"]


def test_talisman_has_the_hooks_the_shop_overrides():
    from flask_talisman import Talisman

    for name in ("_get_local_options", "_set_response_headers", "_set_hsts_headers", "_get_nonce"):
        assert callable(getattr(Talisman, name, None)), name
    assert list(inspect.signature(Talisman._set_response_headers).parameters) == [
        "self", "response"
    ]
    assert list(inspect.signature(Talisman._set_hsts_headers).parameters) == ["self", "headers"]


def test_flask_wtf_still_has_its_formdata_marker():
    from flask_wtf import FlaskForm
    from flask_wtf.form import _Auto

    assert inspect.signature(FlaskForm.__init__).parameters["formdata"].default is _Auto


def test_the_per_request_caches_on_g_are_where_the_shop_drops_them(app, db):
    """A request leaves these names on `g` (the ones the shop clears before each request)."""
    from shop.accounts.security import _REQUEST_CACHES

    client = app.test_client()
    with client:  # keeps the last request's context open to look at its `g`
        client.get("/account/login")
        seen = {name: name in g for name in _REQUEST_CACHES}
    assert seen["_flask_babel"] and seen["csrf_token"] and seen["_login_user"], seen
