"""Helpers for tests that need a logged-in user, staff included (staff must pass TOTP).

    from tests.accounts.helpers import login, enable_totp
    user = UserFactory(roles=["admin"])
    login(client, user)               # sets up TOTP for staff if missing, then enters a code

`login` goes through the real login form (CSRF included) and, when the account has two-factor
authentication, through the code form with a code computed from the stored secret.
"""

import re

from flask import current_app

from shop.extensions import db

PASSWORD = "correct horse 1"  # the password tests.factories.UserFactory gives every user
_CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def csrf(client, path="/account/login") -> str:
    """A CSRF token for this client's session, read from the form on `path`."""
    body = client.get(path).get_data(as_text=True)
    match = _CSRF.search(body)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def enable_totp(user) -> str:
    """Turn on authenticator-app two-factor for `user` (committed); returns the secret."""
    totp = current_app.extensions["security"]._totp_factory
    secret = totp.generate_totp_secret()
    user.tf_primary_method = "authenticator"
    user.tf_totp_secret = secret
    db.session.commit()
    return secret


def totp_code(user) -> str:
    """The user's authenticator app's code, as a person would type it: the current one, or the
    next one when the current one was already used (a code is good once: shop.accounts.totp;
    Flask-Security accepts codes up to two minutes ahead)."""
    import time

    totp = current_app.extensions["security"]._totp_factory._totp.from_source(
        user.tf_totp_secret
    )
    db.session.refresh(user)
    step = max(int(time.time()) // totp.period, (user.tf_totp_last_counter or -1) + 1)
    return totp.generate(time=step * totp.period).token


def login(client, user, password=PASSWORD, remember=False, setup_two_factor=True):
    """Log `user` in through the forms; returns the last response (a redirect when it worked).

    Staff without two-factor get TOTP enabled first (unless setup_two_factor=False), because
    the shop requires it of them.
    """
    needs_tf = current_app.config.get("STAFF_TWO_FACTOR_REQUIRED") and user.is_staff
    if needs_tf and setup_two_factor and not user.tf_primary_method:
        enable_totp(user)
    data = {"email": user.email, "password": password, "csrf_token": csrf(client)}
    if remember:
        data["remember"] = "y"
    response = client.post("/account/login", data=data)
    if (
        user.tf_primary_method
        and response.status_code in (302, 303)
        and ("/tf-validate" in response.headers.get("Location", ""))
    ):
        response = client.post(
            "/account/tf-validate",
            data={"code": totp_code(user), "csrf_token": csrf(client, "/account/tf-validate")},
        )
    return response


def logout(client):
    return client.post("/account/logout", data={"csrf_token": csrf(client, "/")})
