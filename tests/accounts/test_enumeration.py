"""Registration and "forgot password" answer alike for known and unknown addresses (issue 13.10).

The audit: registering a new address signed it in at once (with an extra message) while an
address in use was not; "forgot password" took ~90 ms longer for a known account (token,
rendering and outbox row inside the request). Now both answers are the same in status, redirect,
cookies, session, flash and page, and the mail for a known account is written only when the
response is closed, after its body has been sent (shop.accounts.deferred).
"""

import json
import re

import pytest
from werkzeug.test import EnvironBuilder

from shop.accounts.models import User
from shop.extensions import db
from shop.notifications.models import OutboxMessage
from tests.accounts.conftest import link_in
from tests.accounts.helpers import csrf
from tests.factories import UserFactory

GOOD_PASSWORD = "Tr0ub4dor&3x-lavka"
PUBLIC = "https://shop.example.com"
CSRF_VALUE = re.compile(r'(name="csrf_token" (?:type="hidden" )?value=")[^"]+"')


@pytest.fixture(autouse=True)
def public_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC)


def registration(client, email):
    return {
        "email": email,
        "password": GOOD_PASSWORD,
        "password_confirm": GOOD_PASSWORD,
        "full_name": "Анна",
        "accept_privacy": "y",
        "csrf_token": csrf(client, "/account/register"),
    }


def forgot(client, email):
    return {"email": email, "csrf_token": csrf(client, "/account/reset")}


def what_a_visitor_sees(app, client, response, email):
    """Everything the answer shows, with the typed address and the CSRF token blanked out."""

    def blank(text):
        return CSRF_VALUE.sub(r'\1TOKEN"', text).replace(email, "EMAIL")

    cookie = client.get_cookie("session")
    session = app.session_interface.get_signing_serializer(app).loads(cookie.value)
    session.pop("csrf_token", None)
    return {
        "status": response.status_code,
        "location": response.headers.get("Location"),
        # each Set-Cookie without its value: name and attributes
        "cookies": sorted(
            re.sub(r"^([^=]+)=[^;]*", r"\1", c) for c in response.headers.getlist("Set-Cookie")
        ),
        "session": blank(json.dumps(session, sort_keys=True, ensure_ascii=False, default=str)),
        "body": blank(response.get_data(as_text=True)),
    }


def outbox_rows():
    db.session.expire_all()
    return db.session.query(OutboxMessage).order_by(OutboxMessage.id).all()


def post_and_hold(app, client, path, data):
    """POST through the WSGI app as a server does, and stop after reading the whole body:
    returns (status, body, app_iter) with `app_iter.close()` not yet called."""
    builder = EnvironBuilder(
        path=path,
        method="POST",
        data=data,
        headers={"Cookie": f"session={client.get_cookie('session').value}"},
    )
    try:
        environ = builder.get_environ()
    finally:
        builder.close()
    started = []
    app_iter = app(environ, lambda status, headers, exc_info=None: started.append(status))
    body = b"".join(app_iter)
    return started[0], body, app_iter


# --- Registration ----------------------------------------------------------------------------


def test_registering_a_known_or_a_new_address_looks_the_same(app, db):
    UserFactory(email="known@example.com")
    answers = []
    for email in ("known@example.com", "fresh@example.com"):
        client = app.test_client()
        client.set_cookie("lang", "en")
        response = client.post("/account/register", data=registration(client, email))
        seen = what_a_visitor_sees(app, client, response, email)
        # the page the redirect leads to
        landing = client.get(response.headers["Location"])
        seen["landing"] = what_a_visitor_sees(app, client, landing, email)
        answers.append(seen)
    known, fresh = answers
    assert known == fresh
    assert known["status"] == 302 and known["location"] == "/account/login"
    assert "Thank you. To confirm your email address EMAIL" in known["landing"]["body"]
    # nobody is signed in by registering
    assert "_user_id" not in known["session"] and "_user_id" not in fresh["session"]
    assert [c.split(";")[0] for c in known["cookies"]] == ["session"]


def test_the_new_shopper_logs_in_with_the_password_at_once(client, db):
    client.post("/account/register", data=registration(client, "fresh@example.com"))
    assert client.get("/account/profile").status_code == 302
    response = client.post(
        "/account/login",
        data={"email": "fresh@example.com", "password": GOOD_PASSWORD, "csrf_token": csrf(client)},
    )
    assert response.status_code == 302
    assert client.get("/account/profile").status_code == 200


def test_registration_writes_no_mail_before_the_response(app, db):
    UserFactory(email="known@example.com", locale="en")
    written = []
    for email, kind in (
        ("known@example.com", "account_welcome_existing"),
        ("fresh@example.com", "account_welcome"),
    ):
        client = app.test_client()
        status, _, app_iter = post_and_hold(
            app, client, "/account/register", registration(client, email)
        )
        assert status.startswith("302")
        assert [(m.recipient, m.kind) for m in outbox_rows()] == written  # nothing new yet
        app_iter.close()
        written.append((email, kind))
        assert [(m.recipient, m.kind) for m in outbox_rows()] == written


@pytest.mark.parametrize(
    ("lang", "subject", "text"),
    [
        ("en", "Someone tried to register with your email address",
         "Someone tried to register at Lavka with this email address"),
        ("ru", "Кто-то попытался зарегистрироваться с вашим адресом",
         "Кто-то попытался зарегистрироваться в Лавке с этим адресом"),
    ],
)
def test_the_owner_of_a_known_address_is_told_in_their_language(
    app, client, queued, lang, subject, text
):
    UserFactory(email="known@example.com", locale=lang)
    client.set_cookie("lang", "en" if lang == "ru" else "ru")  # the page's language is not theirs
    client.post("/account/register", data=registration(client, "known@example.com"))
    [mail] = queued("known@example.com")
    assert mail.kind == "account_welcome_existing" and mail.locale == lang
    assert subject in mail.subject and text in mail.body_text
    # a working reset link, built from the public address
    assert link_in(mail, "/account/reset/")
    assert re.search(re.escape(PUBLIC) + r"/account/reset/\S+", mail.body_text)
    assert db.session.query(User).count() == 1


def test_the_welcome_mail_of_a_new_account_comes_after_the_response_too(client, queued):
    client.set_cookie("lang", "en")
    client.post("/account/register", data=registration(client, "fresh@example.com"))
    [mail] = queued("fresh@example.com")
    assert mail.kind == "account_welcome" and mail.locale == "en"
    assert mail.body_text.count(PUBLIC + "/account/confirm/") == 1


# --- Forgot password -------------------------------------------------------------------------


def test_forgot_password_looks_the_same_for_known_and_unknown_addresses(app, db):
    UserFactory(email="known@example.com")
    answers = []
    for email in ("known@example.com", "nobody@example.com"):
        client = app.test_client()
        client.set_cookie("lang", "en")
        response = client.post("/account/reset", data=forgot(client, email))
        answers.append(what_a_visitor_sees(app, client, response, email))
    known, unknown = answers
    assert known == unknown
    assert known["status"] == 200
    assert "Instructions to reset your password have been sent to EMAIL" in known["body"]


def test_forgot_password_writes_the_mail_only_after_the_response(app, db):
    UserFactory(email="known@example.com", locale="en")
    for email in ("nobody@example.com", "known@example.com"):
        client = app.test_client()
        status, body, app_iter = post_and_hold(app, client, "/account/reset", forgot(client, email))
        assert status.startswith("200") and "Инструкции по восстановлению" in body.decode()
        assert outbox_rows() == []  # nothing mail-related before the response is done
        app_iter.close()
    # then, for the known account only, the mail is there, committed for every connection
    with db.engine.connect() as conn:
        rows = conn.execute(OutboxMessage.__table__.select()).all()
    assert [(r.recipient, r.kind, r.locale) for r in rows] == [
        ("known@example.com", "account_reset_instructions", "en")
    ]
    assert rows[0].body_text.count(PUBLIC + "/account/reset/") == 1


def test_forgot_password_does_the_same_work_for_known_and_unknown_addresses(app, db, monkeypatch):
    """Until the body is sent: the same SQL statements and the same (dummy) password hash."""
    from flask_security import views as security_views
    from sqlalchemy import event

    UserFactory(email="known@example.com")
    real_hash = security_views.hash_password
    work = []
    monkeypatch.setattr(
        security_views, "hash_password", lambda p: work.append("hash") or real_hash(p)
    )

    def record(conn, cursor, statement, *args):
        work.append(statement)

    done = []
    for email in ("known@example.com", "nobody@example.com"):
        client = app.test_client()
        data = forgot(client, email)
        work.clear()
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            _, _, app_iter = post_and_hold(app, client, "/account/reset", data)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        done.append(list(work))
        app_iter.close()
    known, unknown = done
    assert known == unknown
    assert known.count("hash") == 1
    assert not any("outbox_message" in step for step in known)


def test_a_reset_mail_that_fails_once_is_written_on_the_next_try(app, client, queued, monkeypatch):
    from shop.notifications import outbox

    UserFactory(email="known@example.com")
    real = outbox.queue_email
    failures = []

    def flaky(*args, **kwargs):
        if not failures:
            failures.append(1)
            raise RuntimeError("the database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(outbox, "queue_email", flaky)
    response = client.post("/account/reset", data=forgot(client, "known@example.com"))
    assert response.status_code == 200
    assert failures == [1]
    assert [m.kind for m in queued("known@example.com")] == ["account_reset_instructions"]


def test_no_reset_mail_for_an_inactive_account(client, queued):
    UserFactory(email="gone@example.com", active=False)
    response = client.post("/account/reset", data=forgot(client, "gone@example.com"))
    assert response.status_code == 200
    assert queued() == []
