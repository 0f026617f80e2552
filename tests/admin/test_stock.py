"""Stock through the back office: adjustments go through the inventory service, with a reason."""

import json

from sqlalchemy import func, select

from shop.audit.models import AuditEntry
from shop.catalog.models import ProductVariant
from shop.inventory.models import StockMovement
from tests.factories import VariantFactory


def adjust(client, token, variant, **data):
    csrf = token(f"/admin/stock-adjust/{variant.id}")
    return client.post(f"/admin/stock-adjust/{variant.id}", data={"csrf_token": csrf, **data})


def test_warehouse_receives_goods(client, db, as_role, token):
    variant = VariantFactory(stock=3)
    user = as_role("warehouse")
    response = adjust(client, token, variant, delta="5", reason="receive", note="поставка 12")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ProductVariant, variant.id).stock == 8
    movement = db.session.scalar(select(StockMovement))
    assert (movement.delta, movement.stock_after, movement.reason) == (5, 8, "receive")
    assert movement.actor_id == user.id and movement.note == "поставка 12"
    entry = db.session.scalar(select(AuditEntry))
    assert entry.action == "stock" and entry.actor_id == user.id
    assert json.loads(entry.before) == {"stock": 3}
    assert json.loads(entry.after)["stock"] == 8
    page = client.get(f"/admin/stock-adjust/{variant.id}").get_data(as_text=True)
    assert "поставка 12" in page


def test_stock_cannot_go_below_zero(client, db, as_role, token):
    variant = VariantFactory(stock=2)
    as_role("warehouse")
    response = adjust(client, token, variant, delta="-3", reason="adjust")
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(ProductVariant, variant.id).stock == 2
    assert db.session.scalar(select(func.count(StockMovement.id))) == 0
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_bad_input_is_refused(client, db, as_role, token):
    variant = VariantFactory(stock=2)
    as_role("warehouse")
    for data in (
        {"delta": "abc", "reason": "adjust"},
        {"delta": "0", "reason": "adjust"},
        {"delta": "1", "reason": "order"},  # not a reason staff may pick
        {"delta": "99999999", "reason": "adjust"},
    ):
        response = adjust(client, token, variant, **data)
        assert response.status_code == 200, data
    db.session.expire_all()
    assert db.session.get(ProductVariant, variant.id).stock == 2
    assert db.session.scalar(select(func.count(StockMovement.id))) == 0


def test_unknown_variant_is_404(client, db, as_role):
    as_role("warehouse")
    assert client.get("/admin/stock-adjust/999999").status_code == 404


def test_ledger_is_read_only(client, db, as_role, token):
    variant = VariantFactory(stock=2)
    as_role("admin")
    adjust(client, token, variant, delta="1", reason="adjust")
    movement = db.session.scalar(select(StockMovement))
    assert client.get("/admin/movements/").status_code == 200
    assert client.get("/admin/movements/new/").status_code in (302, 403)
    response = client.post(
        "/admin/movements/delete/", data={"csrf_token": token(), "id": str(movement.id)}
    )
    assert response.status_code in (302, 403)
    assert db.session.scalar(select(func.count(StockMovement.id))) == 1


def test_low_stock_list_with_threshold(client, db, as_role):
    VariantFactory(sku="LOW-1", stock=1)
    VariantFactory(sku="MID-1", stock=8)
    VariantFactory(sku="HIGH-1", stock=50)
    as_role("warehouse")
    body = client.get("/admin/stock-adjust/low?threshold=5").get_data(as_text=True)
    assert "LOW-1" in body and "MID-1" not in body and "HIGH-1" not in body
    body = client.get("/admin/stock-adjust/low?threshold=10").get_data(as_text=True)
    assert "LOW-1" in body and "MID-1" in body and "HIGH-1" not in body
    assert client.get("/admin/stock-adjust/low?threshold=abc").status_code == 200


def test_an_adjustment_whose_audit_entry_fails_is_not_made(client, db, as_role, token, monkeypatch):
    variant = VariantFactory(stock=3)
    as_role("warehouse")

    def broken(*_args, **_kwargs):
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr("admin.stock.audit_record", broken)
    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = adjust(client, token, variant, delta="5", reason="receive", note="")
    finally:
        client.application.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    db.session.expire_all()
    assert db.session.get(ProductVariant, variant.id).stock == 3
    assert db.session.scalar(select(func.count(StockMovement.id))) == 0
