"""The audit log: every back-office change is recorded, and only admins read it."""

import json

from sqlalchemy import select

from shop.audit.models import AuditEntry
from shop.audit.services import snapshot
from shop.shipping.models import DeliveryMethod
from tests.factories import CategoryFactory, DeliveryMethodFactory, UserFactory


def test_create_update_delete_are_recorded(client, db, as_role, token):
    admin = as_role("admin")
    csrf = token()
    client.post(
        "/admin/delivery/new/",
        data={"csrf_token": csrf, "code": "pickup", "name_ru": "Самовывоз", "price": "0"},
    )
    method = db.session.scalar(select(DeliveryMethod))
    client.post(
        f"/admin/delivery/edit/?id={method.id}",
        data={"csrf_token": csrf, "code": "pickup", "name_ru": "Самовывоз", "price": "99"},
    )
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["create", "update"]
    assert all(e.actor_id == admin.id and e.actor_email == admin.email for e in entries)
    # An update keeps only what changed.
    assert json.loads(entries[1].before) == {"price": "0.00"}
    assert json.loads(entries[1].after) == {"price": "99.00"}


def test_delete_is_recorded(client, db, as_role, token):
    as_role("admin")
    method = DeliveryMethodFactory()
    # Delivery methods cannot be deleted (orders keep their name); an empty category can.
    category = CategoryFactory()
    response = client.post(
        "/admin/categories/delete/", data={"csrf_token": token(), "id": str(category.id)}
    )
    assert response.status_code == 302
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "delete"))
    assert entry.object_type == "Category" and json.loads(entry.before)["slug"] == category.slug
    assert db.session.get(DeliveryMethod, method.id) is not None


def test_snapshot_leaves_secrets_out(db):
    user = UserFactory(tf_totp_secret="TOPSECRET")
    data = snapshot(user)
    assert "password" not in data and "tf_totp_secret" not in data
    assert "fs_uniquifier" not in data
    assert data["email"] == user.email


def test_only_admins_read_the_log(client, db, as_role):
    as_role("manager")
    assert client.get("/admin/audit/").status_code == 403


def test_log_cannot_be_edited_or_deleted(client, db, as_role, token):
    as_role("admin")
    client.post(
        "/admin/delivery/new/",
        data={"csrf_token": token(), "code": "c", "name_ru": "К", "price": "1"},
    )
    entry = db.session.scalar(select(AuditEntry))
    assert client.get(f"/admin/audit/edit/?id={entry.id}").status_code in (302, 403)
    client.post("/admin/audit/delete/", data={"csrf_token": token(), "id": str(entry.id)})
    assert db.session.get(AuditEntry, entry.id) is not None
    body = client.get("/admin/audit/").get_data(as_text=True)
    assert "delivery" in body.lower() or "DeliveryMethod" in body
