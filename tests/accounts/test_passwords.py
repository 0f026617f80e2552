"""Password rules, reset by emailed link, change password, change email."""

import pytest

from shop.accounts.models import User
from shop.extensions import db
from tests.accounts.conftest import link_in
from tests.accounts.helpers import PASSWORD, csrf, login
from tests.factories import UserFactory

NEW_PASSWORD = "Nov0e-parol-lavka"


def test_passwords_are_argon2(app):
    from flask_security import hash_password

    with app.test_request_context():
        assert hash_password("whatever 123").startswith("$argon2")
    assert app.config["SECURITY_PASSWORD_HASH"] == "argon2"


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("1234567", False),
        ("x" * 129, False),
        ("password1", False),
        ("qwertyuiop", False),
        ("aaaaaaaaaa", False),
        ("12345678", False),
        ("Tr0ub4dor&3x", True),
        ("ab3" * 42 + "cd", True),  # 128 characters
    ],
)
def test_password_rules(app, password, ok):
    with app.test_request_context():
        util = app.extensions["security"]._password_util
        problems, _ = util.validate(password, True, email="someone@example.com")
    assert (problems is None) is ok, problems


def test_reset_by_emailed_link(client, queued):
    user = UserFactory(email="forgetful@example.com", locale="en")
    response = client.post(
        "/account/reset",
        data={"email": "forgetful@example.com", "csrf_token": csrf(client, "/account/reset")},
    )
    assert response.status_code in (200, 302)
    [mail] = queued("forgetful@example.com")
    assert mail.kind == "account_reset_instructions" and mail.locale == "en"
    path = link_in(mail, "/account/reset/")
    assert client.get(path).status_code == 200
    response = client.post(
        path,
        data={
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
            "csrf_token": csrf(client, path),
        },
    )
    assert response.status_code == 302
    assert login(client, user, NEW_PASSWORD).status_code == 302
    assert [m.kind for m in queued("forgetful@example.com")][-1] == "account_reset_notice"


def test_reset_refuses_a_common_password(client, queued):
    UserFactory(email="forgetful@example.com")
    client.post(
        "/account/reset",
        data={"email": "forgetful@example.com", "csrf_token": csrf(client, "/account/reset")},
    )
    path = link_in(queued("forgetful@example.com")[0], "/account/reset/")
    response = client.post(
        path,
        data={
            "password": "password123",
            "password_confirm": "password123",
            "csrf_token": csrf(client, path),
        },
    )
    assert response.status_code == 200
    db.session.expire_all()
    from flask_security import verify_password

    assert verify_password(PASSWORD, db.session.query(User).one().password)


def test_reset_answers_the_same_for_unknown_emails(client, queued):
    UserFactory(email="known@example.com")
    known = client.post(
        "/account/reset",
        data={"email": "known@example.com", "csrf_token": csrf(client, "/account/reset")},
    )
    unknown = client.post(
        "/account/reset",
        data={"email": "nobody@example.com", "csrf_token": csrf(client, "/account/reset")},
    )
    assert known.status_code == unknown.status_code
    assert known.headers.get("Location") == unknown.headers.get("Location")
    assert [m.recipient for m in queued()] == ["known@example.com"]


def test_a_bad_reset_token_changes_nothing(client):
    UserFactory()
    response = client.get("/account/reset/not-a-token")
    assert response.status_code in (302, 200)
    assert response.status_code != 500


def test_change_password_ends_other_sessions(app, client, queued):
    user = UserFactory()
    login(client, user)
    other = app.test_client()
    login(other, user)
    response = client.post(
        "/account/change",
        data={
            "password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_confirm": NEW_PASSWORD,
            "csrf_token": csrf(client, "/account/change"),
        },
    )
    assert response.status_code == 302
    assert client.get("/account/profile").status_code == 200  # this browser stays in
    assert other.get("/account/profile").status_code == 302  # every other session ends
    assert queued(user.email)[-1].kind == "account_change_notice"


def test_change_password_needs_the_current_one(client):
    user = UserFactory()
    login(client, user)
    response = client.post(
        "/account/change",
        data={
            "password": "not it at all",
            "new_password": NEW_PASSWORD,
            "new_password_confirm": NEW_PASSWORD,
            "csrf_token": csrf(client, "/account/change"),
        },
    )
    assert response.status_code == 200
    db.session.expire_all()
    from flask_security import verify_password

    assert verify_password(PASSWORD, db.session.get(User, user.id).password)


def test_change_email_with_reconfirmation(client, queued):
    user = UserFactory(email="old@example.com")
    login(client, user)
    response = client.post(
        "/account/change-email",
        data={
            "email": "new@example.com",
            "password": PASSWORD,
            "csrf_token": csrf(client, "/account/change-email"),
        },
    )
    assert response.status_code in (200, 302)
    db.session.expire_all()
    assert db.session.get(User, user.id).email == "old@example.com"  # not until confirmed
    [mail] = queued("new@example.com")
    assert mail.kind == "account_change_email_instructions"
    client.get(link_in(mail, "/account/change-email/"))
    db.session.expire_all()
    assert db.session.get(User, user.id).email == "new@example.com"
