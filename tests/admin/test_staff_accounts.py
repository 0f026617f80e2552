"""An administrator creates a staff account in the back office (issue 14.12): email, name,
language and roles; the new member gets an emailed link (Flask-Security's reset token, through
the outbox) to set their own password, and nobody else ever knows it. The account's page says
whose account it is.
"""

import re

import pytest
from flask_security import verify_password

from shop.accounts.models import User
from shop.accounts.services import create_staff
from shop.audit.models import AuditEntry
from shop.core.errors import ValidationFailed
from shop.extensions import db as _db
from shop.notifications.models import OutboxMessage
from tests.factories import UserFactory

PUBLIC = "https://shop.example.com"
NEW_PASSWORD = "Tr0ub4dor&3x-lavka"


@pytest.fixture(autouse=True)
def public_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC)


def outbox(recipient):
    _db.session.expire_all()
    return (
        _db.session.query(OutboxMessage)
        .filter(OutboxMessage.recipient == recipient)
        .order_by(OutboxMessage.id)
        .all()
    )


def new_staff(client, token, **fields):
    data = {
        "csrf_token": token("/admin/accounts/new/"),
        "email": "olga@example.com",
        "full_name": "Ольга Смирнова",
        "locale": "en",
        "roles": ["manager", "warehouse"],
        **fields,
    }
    return client.post("/admin/accounts/new/", data=data)


def test_admin_creates_staff_who_sets_their_own_password(app, client, db, as_role, token):
    admin = as_role("admin")
    response = new_staff(client, token)
    assert response.status_code == 302
    user = db.session.query(User).filter_by(email="olga@example.com").one()
    assert response.headers["Location"].endswith(f"/admin/accounts/edit/?id={user.id}")
    assert sorted(r.name for r in user.roles) == ["manager", "warehouse"]
    assert user.active and user.full_name == "Ольга Смирнова" and user.locale == "en"

    # the invitation, in the new member's language, with a working set-password link
    (mail,) = outbox("olga@example.com")
    assert mail.locale == "en" and mail.kind == "account_staff_invitation"
    assert "Ольга Смирнова" in mail.body_text and "back office" in mail.body_text
    link = re.search(re.escape(PUBLIC) + r"(/account/reset/\S+)", mail.body_text).group(1)
    assert link in (mail.body_html or "")
    assert "24 hours" in mail.body_text

    # the audit log says who made it, with the roles given
    entry = db.session.query(AuditEntry).filter_by(object_type="User", action="create").one()
    assert entry.actor_email == admin.email and "warehouse" in entry.after

    # the link sets the password; nobody knew one before
    member = app.test_client()
    page = member.get(link).get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    response = member.post(
        link, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD, "csrf_token": csrf}
    )
    assert response.status_code in (200, 302)
    db.session.expire_all()
    assert verify_password(NEW_PASSWORD, db.session.get(User, user.id).password)


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"email": "not an address"}, "email"),
        ({"roles": []}, "role"),
        ({"email": "taken@example.com"}, "already exists"),
        ({"email": "TAKEN@example.com"}, "already exists"),
    ],
)
def test_bad_input_creates_nothing_and_says_why(client, db, as_role, token, fields, problem):
    UserFactory(email="taken@example.com")
    as_role("admin", locale="en")
    before = db.session.query(User).count()
    response = new_staff(client, token, **fields)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    alerts = " ".join(re.findall(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', body, re.S))
    assert problem in alerts.lower()
    assert "Failed to create" not in alerts
    assert db.session.query(User).count() == before
    assert db.session.query(OutboxMessage).count() == 0


def test_only_admins_create_staff(client, db, as_role, token):
    as_role("manager")
    assert client.get("/admin/accounts/new/").status_code == 403


def test_service_refuses_customer_role_and_unknown_language(db):
    with pytest.raises(ValidationFailed):
        create_staff("a@example.com", full_name=None, roles=["customer"])
    with pytest.raises(ValidationFailed):
        create_staff("a@example.com", full_name=None, roles=["manager"], locale="de")
    assert db.session.query(User).count() == 0


def test_account_page_says_whose_account_and_can_invite_again(client, db, as_role, token):
    as_role("admin", locale="en")
    member = UserFactory(email="ivan@example.com", full_name="Иван Петров", roles=["warehouse"])
    url = f"/admin/accounts/edit/?id={member.id}"
    body = client.get(url).get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", body, re.S).group(1)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S).group(1)
    for text in (title, heading):
        assert "ivan@example.com" in text and "Иван Петров" in text
    response = client.post(f"/admin/accounts/{member.id}/invite", data={"csrf_token": token(url)})
    assert response.status_code == 302
    (mail,) = outbox("ivan@example.com")
    assert "/account/reset/" in mail.body_text
    assert db.session.query(AuditEntry).filter_by(action="invite").count() == 1


def test_a_customer_is_not_sent_a_staff_invitation(client, db, as_role, token):
    as_role("admin")
    shopper = UserFactory(email="shopper@example.com")
    url = f"/admin/accounts/edit/?id={shopper.id}"
    assert "Send the invitation again" not in client.get(url).get_data(as_text=True)
    client.post(f"/admin/accounts/{shopper.id}/invite", data={"csrf_token": token(url)})
    assert outbox("shopper@example.com") == []
