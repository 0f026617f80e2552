"""Login, logout, sessions, remember-me, redirects and staff two-factor, through HTTP."""

from urllib.parse import urljoin, urlsplit

import pytest

from shop.accounts.models import User
from shop.extensions import db
from tests.accounts.helpers import PASSWORD, csrf, enable_totp, login, logout, totp_code
from tests.factories import UserFactory


def post_login(client, email, password, **extra):
    data = {"email": email, "password": password, "csrf_token": csrf(client), **extra}
    return client.post("/account/login", data=data)


def is_logged_in(client) -> bool:
    return client.get("/account/profile").status_code == 200


def test_login_page_looks_like_the_shop(client):
    body = client.get("/account/login").get_data(as_text=True)
    assert 'class="navbar-brand brand"' in body and 'name="remember"' in body
    assert "style=" not in body and "<script>" not in body


def test_login_and_logout(client):
    user = UserFactory()
    response = login(client, user)
    assert response.status_code == 302
    assert is_logged_in(client)
    assert logout(client).status_code == 302
    assert not is_logged_in(client)


def test_logout_needs_post_with_csrf(client):
    login(client, UserFactory())
    assert client.get("/account/logout").status_code == 405
    client.post("/account/logout")  # no token: refused
    assert is_logged_in(client)


def test_wrong_password_and_unknown_email_answer_the_same(client):
    UserFactory(email="known@example.com")
    known = post_login(client, "known@example.com", "wrong password 1")
    unknown = post_login(client, "nobody@example.com", "wrong password 1")
    assert known.status_code == unknown.status_code == 200

    def errors(response):
        body = response.get_data(as_text=True)
        return [
            line.strip()
            for line in body.splitlines()
            if "invalid-feedback" in line or "alert-danger" in line
        ]

    assert errors(known) == errors(unknown) and errors(known)
    assert not is_logged_in(client)


def test_inactive_user_cannot_log_in(client):
    user = UserFactory(active=False)
    login(client, user)
    assert not is_logged_in(client)


def test_a_new_session_on_login_and_the_old_cookie_is_not_logged_in(app, client):
    user = UserFactory()
    csrf(client)
    before = client.get_cookie("session").value
    login(client, user)
    after = client.get_cookie("session").value
    assert before != after
    replay = app.test_client()
    replay.set_cookie("session", before)
    assert replay.get("/account/profile").status_code == 302


def test_replayed_cookie_after_logout_is_refused(app, client):
    user = UserFactory()
    login(client, user)
    stolen = client.get_cookie("session").value
    logout(client)
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get("/account/profile")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_replayed_remember_cookie_after_logout_is_refused(app, client):
    user = UserFactory()
    login(client, user, remember=True)
    remember = client.get_cookie("remember_token")
    assert remember is not None and remember.http_only
    logout(client)
    thief = app.test_client()
    thief.set_cookie("remember_token", remember.value)
    assert thief.get("/account/profile").status_code == 302


def test_remember_me_logs_in_a_new_browser_session(app, client):
    user = UserFactory()
    login(client, user, remember=True)
    browser_restarted = app.test_client()
    browser_restarted.set_cookie("remember_token", client.get_cookie("remember_token").value)
    assert browser_restarted.get("/account/profile").status_code == 200


def test_session_cookie_flags(app, client):
    login(client, UserFactory())
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"
    from config.production import ProductionConfig

    assert ProductionConfig.SESSION_COOKIE_SECURE and ProductionConfig.REMEMBER_COOKIE_SECURE


@pytest.mark.parametrize(
    "target", ["//evil.com", "/\\evil.com", "https://evil.com/x", "http://evil.com", "\\\\evil.com"]
)
def test_next_never_leaves_our_host(client, target):
    user = UserFactory()
    response = client.post(
        "/account/login",
        query_string={"next": target},
        data={"email": user.email, "password": PASSWORD, "csrf_token": csrf(client)},
    )
    # Either the login form refuses the target, or the redirect stays here (as a browser reads
    # it, backslashes included).
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        location = response.headers["Location"].replace("\\", "/")
        assert urlsplit(urljoin("http://localhost/account/login", location)).netloc == "localhost"
    assert not is_logged_in(client) or response.status_code == 302


def test_next_to_our_own_page_is_followed(client):
    user = UserFactory()
    response = client.post(
        "/account/login",
        query_string={"next": "/account/addresses"},
        data={"email": user.email, "password": PASSWORD, "csrf_token": csrf(client)},
    )
    assert response.headers["Location"].endswith("/account/addresses")


def test_language_switch_keeps_to_our_host(client):
    for target in ("//evil.com", "/\\evil.com", "https://evil.com"):
        response = client.get("/lang/en", query_string={"next": target})
        location = response.headers["Location"].replace("\\", "/")
        assert urlsplit(urljoin("http://localhost/", location)).netloc == "localhost"


# --- two-factor -------------------------------------------------------------------------------


def test_staff_without_two_factor_is_sent_to_setup_after_the_password(client):
    admin = UserFactory(roles=["admin"])
    response = post_login(client, admin.email, PASSWORD)
    assert response.status_code == 302
    assert "/account/tf-setup" in response.headers["Location"]
    assert not is_logged_in(client)  # not logged in until two-factor is set up
    page = client.get("/account/tf-setup").get_data(as_text=True)
    assert "authenticator" in page


@pytest.mark.parametrize("role", ["admin", "manager", "warehouse"])
def test_staff_can_set_up_totp_and_then_log_in(client, role):
    staff = UserFactory(roles=[role])
    post_login(client, staff.email, PASSWORD)
    token = csrf(client, "/account/tf-setup")
    response = client.post(
        "/account/tf-setup", data={"setup": "authenticator", "csrf_token": token}
    )
    assert response.status_code == 200
    assert 'id="qrcode"' in response.get_data(as_text=True)
    # the secret is kept in the session until the first code proves the app has it
    from flask_security import Security

    security: Security = client.application.extensions["security"]
    with client.session_transaction() as session:
        secret = session["tf_totp_secret"]
    code = security._totp_factory.generate_totp_password(secret)
    response = client.post("/account/tf-validate", data={"code": code, "csrf_token": token})
    assert response.status_code == 302
    assert is_logged_in(client)
    db.session.expire_all()
    assert db.session.get(User, staff.id).tf_primary_method == "authenticator"


def test_a_wrong_totp_code_does_not_log_in(client):
    user = UserFactory(roles=["manager"])
    enable_totp(user)
    response = post_login(client, user.email, PASSWORD)
    assert "/account/tf-validate" in response.headers["Location"]
    client.post(
        "/account/tf-validate",
        data={"code": "000000", "csrf_token": csrf(client, "/account/tf-validate")},
    )
    assert not is_logged_in(client)


def test_shopper_logs_in_with_password_only_unless_they_chose_totp(client, app):
    shopper = UserFactory()
    assert "/account/tf" not in post_login(client, shopper.email, PASSWORD).headers["Location"]
    other = app.test_client()
    careful = UserFactory()
    enable_totp(careful)
    response = post_login(other, careful.email, PASSWORD)
    assert "/account/tf-validate" in response.headers["Location"]
    other.post(
        "/account/tf-validate",
        data={"code": totp_code(careful), "csrf_token": csrf(other, "/account/tf-validate")},
    )
    assert is_logged_in(other)


def test_login_helper_handles_staff(client):
    staff = UserFactory(roles=["warehouse"])
    assert login(client, staff).status_code == 302
    assert is_logged_in(client)


def test_recovery_code_logs_in_once(client):
    user = UserFactory(roles=["admin"])
    login(client, user)
    token = csrf(client, "/account/mf-recovery-codes")
    response = client.post(
        "/account/mf-recovery-codes", data={"generate_new_codes": "y", "csrf_token": token}
    )
    # FS asks for a fresh login first when needed
    if response.status_code == 302 and "/verify" in response.headers["Location"]:
        client.post(
            "/account/verify",
            data={"password": PASSWORD, "csrf_token": csrf(client, "/account/verify")},
        )
        response = client.post(
            "/account/mf-recovery-codes", data={"generate_new_codes": "y", "csrf_token": token}
        )
    db.session.expire_all()
    codes = db.session.get(User, user.id).mf_recovery_codes
    assert codes and len(codes) == 8
    logout(client)
    post_login(client, user.email, PASSWORD)
    response = client.post(
        "/account/mf-recovery",
        data={"code": codes[0], "csrf_token": csrf(client, "/account/tf-validate")},
    )
    assert is_logged_in(client)
    logout(client)
    post_login(client, user.email, PASSWORD)
    client.post(
        "/account/mf-recovery",
        data={"code": codes[0], "csrf_token": csrf(client, "/account/tf-validate")},
    )
    assert not is_logged_in(client)


def _set_up_totp_while_logged_in(client):
    token = csrf(client, "/account/tf-setup")
    response = client.post(
        "/account/tf-setup", data={"setup": "authenticator", "csrf_token": token}
    )
    assert response.status_code == 200, response.headers.get("Location")
    body = response.get_data(as_text=True)
    assert 'id="qrcode"' in body
    import re

    action = re.search(
        r'<form action="([^"]+)" method="post" name="two_factor_verify_code_form"', body
    )
    with client.session_transaction() as session:
        secret = session.get("tf_totp_secret")
    return token, action.group(1).replace("&amp;", "&"), secret


def test_shopper_turns_totp_on_and_off(client):
    user = UserFactory()
    login(client, user)
    token, action, secret = _set_up_totp_while_logged_in(client)
    security = client.application.extensions["security"]
    if secret is None:  # newer Flask-Security keeps it in the state token
        db.session.expire_all()
        secret = db.session.get(User, user.id).tf_totp_secret
    code = security._totp_factory.generate_totp_password(secret)
    response = client.post(action, data={"code": code, "csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).tf_primary_method == "authenticator"
    # a shopper may turn it off again
    client.post("/account/tf-setup", data={"setup": "disable", "csrf_token": token})
    db.session.expire_all()
    assert db.session.get(User, user.id).tf_primary_method is None


def test_staff_cannot_turn_totp_off(client):
    staff = UserFactory(roles=["manager"])
    login(client, staff)
    token = csrf(client, "/account/tf-setup")
    assert 'value="disable"' not in client.get("/account/tf-setup").get_data(as_text=True)
    client.post("/account/tf-setup", data={"setup": "disable", "csrf_token": token})
    db.session.expire_all()
    assert db.session.get(User, staff.id).tf_primary_method == "authenticator"


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/account/login", {"email": "a\x00@example.com", "password": "x\x00yyyyyyyy"}),
        (
            "/account/register",
            {
                "email": "a\x00@example.com",
                "password": "Tr0ub4dor&3x\x00",
                "password_confirm": "Tr0ub4dor&3x\x00",
                "full_name": "A\x00",
            },
        ),
        ("/account/reset", {"email": "a\x00@example.com"}),
        ("/account/confirm", {"email": "a\x00@example.com"}),
        ("/account/login", {"email": "x" * 5000 + "@example.com", "password": "y" * 5000}),
    ],
)
def test_odd_input_in_account_forms_is_refused_not_an_error(client, path, data):
    response = client.post(path, data={**data, "csrf_token": csrf(client, path)})
    assert response.status_code == 200
    assert db.session.query(User).count() == 0


def test_staff_two_factor_requirement_can_be_turned_off(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "STAFF_TWO_FACTOR_REQUIRED", False)
    admin = UserFactory(roles=["admin"])
    response = post_login(client, admin.email, PASSWORD)
    assert "/account/tf" not in response.headers["Location"]
    assert is_logged_in(client)
