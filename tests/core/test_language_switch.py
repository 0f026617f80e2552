"""The language switch: a GET link switches the visit and writes nothing; a POST with the CSRF
token saves a logged-in user's preference (which their emails follow too)."""

import re

from flask import g
from sqlalchemy import event, select

from shop.accounts.models import User
from shop.extensions import db as _db
from tests.factories import UserFactory

_CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def log_in(client, user):
    with client.session_transaction() as session:
        session["_user_id"] = user.fs_uniquifier
        session["_fresh"] = True
        session["_id"] = "test"


def token(client, path="/account/profile"):
    g.pop("csrf_token", None)  # the test's app context is shared by the client's requests
    return _CSRF.search(client.get(path).get_data(as_text=True)).group(1)


def saved_locale(user_id):
    _db.session.expire_all()
    return _db.session.scalar(select(User.locale).where(User.id == user_id))


def page_language(client, path="/account/profile"):
    body = client.get(path).get_data(as_text=True)
    return re.search(r'<html lang="([a-z]+)"', body).group(1)


def test_get_switches_the_visit_but_never_the_saved_preference(app, client, db):
    user = UserFactory(locale="ru")
    log_in(client, user)
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(_db.engine, "before_cursor_execute", record)
    try:
        response = client.get("/lang/en", query_string={"next": "/account/profile"})
    finally:
        event.remove(_db.engine, "before_cursor_execute", record)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/profile")
    assert not [s for s in statements if s.lstrip().upper().startswith(("UPDATE", "INSERT"))]
    assert saved_locale(user.id) == "ru"
    # this visit reads the shop in English...
    assert page_language(client) == "en"
    assert page_language(client, "/") == "en"
    # ...while the same account on another device still follows the saved preference
    other_device = app.test_client()
    log_in(other_device, user)
    assert page_language(other_device) == "ru"
    # and switching back ends the visit's choice
    client.get("/lang/ru")
    assert page_language(client) == "ru"
    assert saved_locale(user.id) == "ru"


def test_a_cross_site_get_cannot_change_the_preference(client, db):
    user = UserFactory(locale="en")
    log_in(client, user)
    # what an <img src="https://shop/lang/ru"> on another site makes the browser send
    client.get("/lang/ru", headers={"Referer": "https://evil.example/"})
    assert saved_locale(user.id) == "en"


def test_post_with_csrf_saves_the_preference(client, db):
    user = UserFactory(locale="ru")
    log_in(client, user)
    response = client.post(
        "/lang/en", data={"csrf_token": token(client)}, query_string={"next": "/account/profile"}
    )
    assert response.status_code == 302
    assert saved_locale(user.id) == "en"
    assert page_language(client) == "en"


def test_post_without_csrf_is_refused_and_saves_nothing(client, db):
    user = UserFactory(locale="ru")
    log_in(client, user)
    response = client.post("/lang/en")
    assert response.status_code == 400
    assert saved_locale(user.id) == "ru"


def test_saving_a_new_preference_ends_the_visits_choice(client, db):
    user = UserFactory(locale="ru")
    log_in(client, user)
    client.get("/lang/en")
    assert page_language(client) == "en"
    # the profile form saves English, then the link switches the visit to Russian
    response = client.post(
        "/account/profile",
        data={"csrf_token": token(client), "full_name": "Анна", "phone": "", "locale": "en"},
    )
    assert response.status_code == 302
    assert saved_locale(user.id) == "en" and page_language(client) == "en"
    client.post("/lang/ru", data={"csrf_token": token(client)})
    assert saved_locale(user.id) == "ru" and page_language(client) == "ru"


def test_the_visits_choice_is_not_handed_to_the_next_account(client, db):
    first, second = UserFactory(locale="ru"), UserFactory(locale="ru")
    log_in(client, first)
    client.get("/lang/en")
    assert page_language(client) == "en"
    log_in(client, second)  # the session (and its visit choice) stays in the browser
    assert page_language(client) == "ru"


def test_visitors_still_switch_by_the_link(client, db):
    response = client.get("/lang/en", query_string={"next": "/"})
    assert response.status_code == 302
    assert "lang=en" in response.headers["Set-Cookie"]
    assert page_language(client, "/") == "en"


def test_unknown_language(client, db):
    user = UserFactory(locale="ru")
    log_in(client, user)
    assert client.get("/lang/de").status_code == 404
    assert client.post("/lang/de", data={"csrf_token": token(client)}).status_code == 404
    assert saved_locale(user.id) == "ru"
