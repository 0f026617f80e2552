"""Changing the email needs the password, and the old address can undo it (issue 13.8).

The audit: with a hijacked session (or at an unlocked computer) one could move the account to
another address and take it over through "forgot password", and the owner was never told.
"""

import re
from datetime import timedelta

import pytest

from shop.accounts import services
from shop.accounts.models import User
from shop.extensions import db
from tests.accounts.conftest import link_in
from tests.accounts.helpers import PASSWORD, csrf, login
from tests.factories import UserFactory

PUBLIC = "https://shop.example.com"


@pytest.fixture(autouse=True)
def public_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC)


def ask_for_change(client, new_email, password=PASSWORD, headers=None):
    return client.post(
        "/account/change-email",
        data={
            "email": new_email,
            "password": password,
            "csrf_token": csrf(client, "/account/change-email"),
        },
        headers=headers,
    )


def email_of(user):
    db.session.expire_all()
    return db.session.get(User, user.id).email


def change_and_confirm(client, queued, user, new_email):
    ask_for_change(client, new_email)
    [instructions] = queued(new_email)
    client.get(link_in(instructions, "/account/change-email/"))
    assert email_of(user) == new_email


@pytest.mark.parametrize(
    ("password", "lang", "error"),
    [
        ("not the password", "en", "The password is not correct."),
        ("not the password", "ru", "Неверный пароль."),
        ("", "en", "Please enter your password."),
        ("", "ru", "Введите пароль."),
    ],
)
def test_a_wrong_or_missing_password_changes_nothing_and_sends_nothing(
    client, queued, password, lang, error
):
    user = UserFactory(email="owner@example.com", locale=lang)
    login(client, user)
    response = ask_for_change(client, "thief@example.com", password)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert error in body and "is-invalid" in body
    assert queued() == []
    assert email_of(user) == "owner@example.com"


def test_a_wrong_password_is_refused_even_for_an_address_in_use(client, queued):
    """Flask-Security answers "link sent" for a taken address; not without the password."""
    user = UserFactory(email="owner@example.com", locale="en")
    UserFactory(email="taken@example.com")
    login(client, user)
    response = ask_for_change(client, "taken@example.com", "not the password")
    body = response.get_data(as_text=True)
    assert "The password is not correct." in body
    assert "Instructions to confirm your new email" not in body
    assert queued() == []


def test_the_change_page_asks_for_the_password(client):
    login(client, UserFactory())
    body = client.get("/account/change-email").get_data(as_text=True)
    assert 'name="password"' in body and 'autocomplete="current-password"' in body


@pytest.mark.parametrize(
    ("lang", "subject", "text"),
    [
        ("en", "The email address of your account has been changed", "If it was not you"),
        ("ru", "Адрес электронной почты вашего аккаунта изменён", "Если это были не вы"),
    ],
)
def test_the_old_address_is_told_in_the_owners_language(client, queued, lang, subject, text):
    user = UserFactory(email="owner@example.com", locale=lang)
    login(client, user)
    client.set_cookie("lang", "en" if lang == "ru" else "ru")
    change_and_confirm(client, queued, user, "new@example.com")
    [notice] = queued("owner@example.com")
    assert notice.kind == "account_email_changed" and notice.locale == lang
    assert notice.subject == subject
    assert text in notice.body_text and "new@example.com" in notice.body_text
    assert notice.body_html and "new@example.com" in notice.body_html
    # and not "if you did not ask for this, ignore this email"
    assert "ignore" not in notice.body_text + notice.body_html
    assert "проигнорировать" not in notice.body_text + notice.body_html


def test_the_undo_link_is_built_from_the_public_url(client, queued):
    user = UserFactory(email="owner@example.com")
    login(client, user)
    ask_for_change(client, "new@example.com", headers={"X-Forwarded-Host": "evil.example"})
    [instructions] = queued("new@example.com")
    client.get(link_in(instructions, "/account/change-email/"), base_url="http://evil.example")
    [notice] = queued("owner@example.com")
    links = re.findall(r"https?://\S+", notice.body_text)
    assert links and all(link.startswith(PUBLIC + "/account/email/undo/") for link in links)
    assert "evil" not in notice.body_text + notice.body_html


def test_undo_restores_the_old_address_and_logs_everyone_out(app, client, queued):
    user = UserFactory(email="owner@example.com", locale="en")
    login(client, user)  # the thief's session
    other = app.test_client()
    login(other, user, remember=True)  # another of the account's sessions
    change_and_confirm(client, queued, user, "thief@example.com")

    owner = app.test_client()
    owner.set_cookie("lang", "en")
    path = link_in(queued("owner@example.com")[0], "/account/email/undo/")
    page = owner.get(path)
    assert page.status_code == 200
    assert "owner@example.com" in page.get_data(as_text=True)
    assert email_of(user) == "thief@example.com"  # opening the link changes nothing by itself

    response = owner.post(path, data={"csrf_token": csrf(owner, path)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/reset"
    body = owner.get("/account/reset").get_data(as_text=True)
    assert "owner@example.com is the address of your account again" in body
    assert email_of(user) == "owner@example.com"
    for session in (client, other):
        assert session.get("/account/profile").status_code == 302  # logged out
    # the owner now takes the account back through "forgot password"
    owner.post("/account/reset", data={"email": "owner@example.com", "csrf_token": csrf(owner)})
    assert queued("owner@example.com")[-1].kind == "account_reset_instructions"


def test_undo_works_after_the_thief_changed_the_address_again(client, queued):
    user = UserFactory(email="owner@example.com")
    login(client, user)
    change_and_confirm(client, queued, user, "thief@example.com")
    change_and_confirm(client, queued, user, "thief2@example.com")
    path = link_in(queued("owner@example.com")[0], "/account/email/undo/")
    client.post(path, data={"csrf_token": csrf(client, path)})
    assert email_of(user) == "owner@example.com"


def test_undo_needs_a_post_with_csrf(client, queued):
    user = UserFactory(email="owner@example.com")
    login(client, user)
    change_and_confirm(client, queued, user, "new@example.com")
    path = link_in(queued("owner@example.com")[0], "/account/email/undo/")
    response = client.post(path, data={})
    assert response.status_code in (200, 400)
    assert email_of(user) == "new@example.com"


@pytest.mark.parametrize("damage", ["forged", "expired", "taken"])
def test_a_bad_undo_link_changes_nothing(app, client, queued, monkeypatch, damage):
    user = UserFactory(email="owner@example.com", locale="en")
    login(client, user)
    change_and_confirm(client, queued, user, "new@example.com")
    path = link_in(queued("owner@example.com")[0], "/account/email/undo/")
    if damage == "forged":
        path = path[:-3] + ("abc" if not path.endswith("abc") else "xyz")
    elif damage == "expired":
        monkeypatch.setattr(services, "EMAIL_CHANGE_UNDO_WITHIN", timedelta(seconds=-1))
    else:
        UserFactory(email="owner@example.com")  # someone registered the old address since
    response = client.post(path, data={"csrf_token": csrf(client, "/account/change-email")})
    assert response.status_code == 302
    message = {
        "forged": "This link is not valid.",
        "expired": "This link has expired.",
        "taken": "The address owner@example.com now belongs to another account.",
    }[damage]
    assert message in client.get(response.headers["Location"]).get_data(as_text=True)
    assert email_of(user) == "new@example.com"
    assert client.get("/account/profile").status_code == 200  # still logged in: nothing ended
