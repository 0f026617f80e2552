"""Shoppers' accounts switched off and on by staff (shop.accounts.services.set_customers_active):
a stopped account is logged out everywhere, staff accounts are left alone, each change is
audited; `forget_sessions` rotates the keys inside the caller's transaction only."""

import json

from sqlalchemy import select

from shop.accounts.models import User
from shop.accounts.services import forget_sessions, set_customers_active
from shop.audit.models import AuditEntry
from tests.factories import UserFactory


def log_in(client, user):
    with client.session_transaction() as session:
        session["_user_id"] = user.fs_uniquifier
        session["_fresh"] = True


def test_a_stopped_account_is_logged_out_everywhere(client, db):
    shopper = UserFactory(roles=["customer"])
    log_in(client, shopper)
    assert client.get("/account/profile").status_code == 200
    admin = UserFactory(roles=["admin"], email="root@example.com")
    assert set_customers_active([shopper.id], False, actor=admin, ip="10.4.4.4") == 1
    db.session.expire_all()
    assert db.session.get(User, shopper.id).active is False
    response = client.get("/account/profile")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.action, entry.object_type, entry.actor_email, entry.ip) == (
        "deactivate", "User", "root@example.com", "10.4.4.4"
    )
    assert json.loads(entry.after) == {"active": False}


def test_staff_and_unknown_ids_are_left_alone_and_not_counted(db):
    shopper = UserFactory(roles=["customer"])
    clerk = UserFactory(roles=["warehouse"])
    keys = clerk.fs_uniquifier
    assert set_customers_active([shopper.id, clerk.id, 999_999], False) == 1
    db.session.expire_all()
    clerk = db.session.get(User, clerk.id)
    assert clerk.active is True and clerk.fs_uniquifier == keys
    assert [e.object_id for e in db.session.scalars(select(AuditEntry))] == [str(shopper.id)]


def test_allowing_an_account_again_keeps_its_sessions(db):
    shopper = UserFactory(roles=["customer"], active=False)
    keys = shopper.fs_uniquifier
    assert set_customers_active([shopper.id], True) == 1
    assert set_customers_active([shopper.id], True) == 1  # already on: counted, no new entry
    db.session.expire_all()
    shopper = db.session.get(User, shopper.id)
    assert shopper.active is True and shopper.fs_uniquifier == keys
    assert [e.action for e in db.session.scalars(select(AuditEntry))] == ["activate"]


def test_forget_sessions_leaves_the_commit_to_its_caller(db):
    user = UserFactory()
    keys = user.fs_uniquifier
    forget_sessions(user)
    assert user.fs_uniquifier != keys
    db.session.rollback()
    assert db.session.get(User, user.id).fs_uniquifier == keys
