"""How the shop plugs into Flask-Security-Too: forms, mail, password rules, limits, signals.

`security_options()` is passed to `security.init_app` by the app factory; `init_app(app)` runs
when the accounts blueprint is registered (after Flask-Security has added its own views), and
wraps Flask-Security's login, register, reset, two-factor and confirmation views in rate limits.
"""

import contextlib

from flask import current_app, request, session
from flask_login import current_user, user_loaded_from_cookie, user_logged_in, user_logged_out
from flask_security import user_registered

from shop.accounts.forms import ShopRegisterForm
from shop.accounts.mail import OutboxMailUtil
from shop.accounts.passwords import ShopPasswordUtil
from shop.accounts.services import ROLE_DESCRIPTIONS
from shop.accounts.sessions import end_session, refuse_revoked_sessions, start_session
from shop.accounts.totp import ShopTotp
from shop.core.i18n import current_language
from shop.core.net import client_address
from shop.extensions import limiter, security

# POST-only limits on the views an attacker would hammer: passwords, codes, mail-sending forms.
LIMITED_ENDPOINTS = (
    "security.login",
    "security.register",
    "security.forgot_password",
    "security.reset_password",
    "security.send_confirmation",
    "security.two_factor_token_validation",
    "security.two_factor_rescue",
    "security.mf_recovery",
    "security.verify",
    "security.change_password",
    "security.change_email",
)


def security_options() -> dict:
    """Keyword arguments for `security.init_app`, and the shop's mail and password classes.

    Flask-Security takes `mail_util_cls` and `password_util_cls` only in its constructor, and
    our `Security()` is built unbound in shop.extensions (which must not import the accounts
    package), so they are set on the instance here, just before `init_app` instantiates them.
    """
    security._mail_util_cls = OutboxMailUtil
    security._password_util_cls = ShopPasswordUtil
    security._totp_cls = ShopTotp
    return {"register_form": ShopRegisterForm}


def account_key() -> str:
    """The account a request is aimed at: the logged-in user, the identity typed in, or the
    half-logged-in two-factor user; the client address when there is none of these.

    The identity is read from the body whatever its format: Flask-Security takes JSON as
    readily as a form, and a limit that looked at the form alone let a JSON body guess
    passwords (and send reset mails) without ever counting. It is normalised as the login
    lookup normalises it, so `Victim@Example.COM ` counts for the same account.
    """
    # A logged-in user's own forms (change password, change email) are aimed at their account,
    # whatever address the body names (the change-email form names the new one).
    if current_user.is_authenticated:
        return f"account-id:{current_user.id}"
    identity = _identity_in_body()
    if identity:
        return f"account:{identity}"
    tf_user = session.get("tf_user_id")
    if tf_user:
        return f"account-tf:{tf_user}"
    return f"ip:{client_address()}"


IDENTITY_FIELDS = ("email", "identity", "username")


def _identity_in_body() -> str:
    """The email (or other identity) a login, reset or confirmation request names, normalised."""
    values = request.form
    if request.is_json:  # as Flask-Security decides which one it reads
        body = request.get_json(silent=True)
        values = body if isinstance(body, dict) else {}
    for field in IDENTITY_FIELDS:
        raw = values.get(field)
        if raw is None or isinstance(raw, (dict, list)):
            continue
        text = str(raw).strip()
        if not text:
            continue
        with contextlib.suppress(Exception):  # not an email: keyed as typed
            text = current_app.extensions["security"].mail_util.normalize(text)
        return text.casefold()[:320]
    return ""


_per_ip = limiter.limit(
    lambda: current_app.config["ACCOUNT_RATE_LIMIT_PER_IP"],
    key_func=client_address,
    methods=["POST"],
    scope="account-ip",
)
_per_account = limiter.limit(
    lambda: current_app.config["ACCOUNT_RATE_LIMIT_PER_ACCOUNT"],
    key_func=account_key,
    methods=["POST"],
    scope="account",
)


def _apply_rate_limits(app) -> None:
    for endpoint in LIMITED_ENDPOINTS:
        view = app.view_functions.get(endpoint)
        if view is None or getattr(view, "_shop_rate_limited", False):
            continue
        wrapped = _per_ip(_per_account(view))
        wrapped._shop_rate_limited = True
        app.view_functions[endpoint] = wrapped


def _on_registered(sender, user, **extra):
    """A new account reads (and gets mail) in the language it registered in."""
    user.locale = current_language()
    if not user.roles:
        datastore = current_app.extensions["security"].datastore
        role = datastore.find_or_create_role(
            "customer", description=ROLE_DESCRIPTIONS["customer"]
        )
        user.roles.append(role)


def _on_logged_in(sender, user, **extra):
    start_session()


def _on_logged_out(sender, user, **extra):
    """Logging out ends this session: a copy of its cookie no longer works."""
    end_session()


# Per-request caches kept on `g`: the user (Flask-Login, Flask-Security, Flask-Principal), the
# CSRF token (Flask-WTF) and the locale (Flask-Babel).
_REQUEST_CACHES = ("_login_user", "fs_authn_via", "identity", "csrf_token", "_flask_babel")


def _forget_cached_login():
    """Authenticate every request from its own cookie, with its own CSRF token and language.

    These extensions cache per-request state on `g`, which lives in the application context.
    In production every request gets a fresh context, so this is a no-op; but when a context is
    already pushed (the test suite keeps one open around each test) Flask reuses it, and the
    user, token or language of one request would leak into the next.
    """
    from flask import g

    for name in _REQUEST_CACHES:
        g.pop(name, None)


def spaced_key(key: str) -> str:
    """An authenticator key as apps take it typed in: letters and digits in groups of four,
    separated by spaces (the dashes passlib puts between groups are refused by some apps)."""
    plain = "".join(ch for ch in str(key) if ch.isalnum()).upper()
    return " ".join(plain[i : i + 4] for i in range(0, len(plain), 4))


def pending_authenticator(user):
    """The QR code and key of an authenticator app being set up in this session, or None.

    Flask-Security answers a mistyped first code with its bare code form; the set-up page
    shows the QR code and key again from the secret it keeps in the session, so nothing has to
    be started over.
    """
    if (
        user is None
        or session.get("tf_state") != "validating_profile"
        or session.get("tf_primary_method") != "authenticator"
        or not session.get("tf_totp_secret")
    ):
        return None
    factory = current_app.extensions["security"].totp_factory
    values = factory.fetch_setup_values(session["tf_totp_secret"], user)
    values["key"] = spaced_key(values.get("b32key") or values["key"])
    return values


def init_app(app) -> None:
    # First of all before_request functions: Flask-Principal's identity loader reads the user.
    before = app.before_request_funcs.setdefault(None, [])
    before[0:0] = [_forget_cached_login, refuse_revoked_sessions]
    _apply_rate_limits(app)
    app.jinja_env.globals.update(pending_authenticator=pending_authenticator, spaced_key=spaced_key)
    user_registered.connect(_on_registered)
    user_logged_in.connect(_on_logged_in)
    user_loaded_from_cookie.connect(_on_logged_in)  # a remember-me login is a new session too
    user_logged_out.connect(_on_logged_out)
