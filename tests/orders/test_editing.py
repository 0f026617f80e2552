"""Staff editing an order before it ships (issue 19.3): quantities, lines, delivery, stock moved
through the ledger, totals, the timeline, the audit log and the customer's email; cash orders.
The money of prepaid orders is in test_editing_money.py."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from shop.audit.models import AuditEntry
from shop.catalog.models import ProductVariant
from shop.core.errors import NotFound, ValidationFailed
from shop.extensions import db
from shop.inventory.models import StockMovement, StockReason
from shop.orders import editing
from shop.orders import services as orders
from shop.orders.editing import Edit, NotEditable, OrderChanged, OutOfStockForEdit
from shop.orders.models import EventKind, Order, OrderEvent
from tests.checkout.helpers import stocked
from tests.factories import DeliveryMethodFactory, ProductFactory, UserFactory, VariantFactory
from tests.returns.helpers import fresh, mails, place_two_lines


@pytest.fixture()
def order(db):
    """Cash: 2 × A (1000.00) and 3 × B (500.00), stock 10 each before, delivery 390.00 (free
    from 5000.00)."""
    return fresh(place_two_lines("cash"))


@pytest.fixture()
def manager(db):
    return UserFactory(roles=["manager"], email="manager@example.com")


def stock_of(variant_id):
    db.session.expire_all()
    return db.session.get(ProductVariant, variant_id).stock


def snapshot(order_id):
    """What an edit may change, to show a refused one changed nothing."""
    db.session.expire_all()
    o = db.session.get(Order, order_id)
    return (
        [(line.sku, line.quantity, line.line_total) for line in o.lines],
        o.subtotal, o.delivery_price, o.total, o.shipping_address, o.delivery_method_id,
        [stock_of(line.variant_id) for line in o.lines],
        db.session.scalar(select(func.count(OrderEvent.id))),
        db.session.scalar(select(func.count(AuditEntry.id))),
        db.session.scalar(select(func.count(StockMovement.id))),
    )


def test_more_units_within_stock_take_stock_and_recompute(order, manager):
    a, b = order.lines
    result = editing.edit_order(order.id, Edit(quantities={a.id: 3}, reason="звонок"),
                                actor=manager, ip="10.0.0.1")
    o = fresh(order)
    assert [(line.sku, line.quantity, line.line_total) for line in o.lines] == [
        (a.sku, 3, Decimal("3000.00")), (b.sku, 3, Decimal("1500.00"))]
    assert o.subtotal == Decimal("4500.00")
    assert o.delivery_price == Decimal("390.00") and o.total == Decimal("4890.00")
    assert stock_of(a.variant_id) == 7
    move = db.session.scalar(select(StockMovement).order_by(StockMovement.id.desc()))
    assert (move.delta, move.reason, move.actor_id, move.order_id) == (
        -1, StockReason.EDIT, manager.id, o.id)
    event = o.events[-1]
    assert event.kind == EventKind.EDITED and event.actor_id == manager.id
    assert event.note == "звонок" and event.from_status == event.to_status == "new"
    assert result["lines"] == [{"sku": a.sku, "name": a.product_name, "before": 2, "after": 3}]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "edit"))
    assert entry.actor_id == manager.id and entry.object_id == str(o.id)
    assert f"{a.sku} × 2" in entry.before and f"{a.sku} × 3" in entry.after
    mail = mails("order_changed")[-1]
    assert mail.recipient == o.email and mail.locale == "ru"
    assert o.number in mail.subject
    assert "4\u00a0890" in mail.body_text and "3\u00a0890" in mail.body_text


def test_the_event_reads_as_a_sentence_in_english(app, order):
    a, b = order.lines
    editing.edit_order(order.id, Edit(quantities={a.id: 3, b.id: 0}))
    event = fresh(order).events[-1]
    with app.test_request_context("/?lang=en"):
        from flask_babel import force_locale  # a request's locale for the label

        with force_locale("en"):
            label = event.note_label
    assert f"{a.sku}: 2 → 3" in label and f"{b.sku} removed" in label
    assert "total: 3890.00 → 3390.00 RUB" in label


def test_beyond_stock_is_refused_and_changes_nothing(order, manager):
    a, b = order.lines
    before = snapshot(order.id)
    with pytest.raises(OutOfStockForEdit) as caught:
        editing.edit_order(order.id, Edit(quantities={a.id: 11, b.id: 1}), actor=manager)
    assert caught.value.details == {"sku": a.sku, "available": 8}
    assert "8" in str(caught.value.message)
    assert snapshot(order.id) == before
    assert mails("order_changed") == []


def test_removing_a_line_puts_its_stock_back(order):
    a, b = order.lines
    editing.edit_order(order.id, Edit(quantities={b.id: 0}))
    o = fresh(order)
    assert [line.sku for line in o.lines] == [a.sku]
    assert stock_of(b.variant_id) == 10
    assert o.subtotal == Decimal("2000.00") and o.total == Decimal("2390.00")


def test_removing_every_line_is_refused(order):
    a, b = order.lines
    before = snapshot(order.id)
    with pytest.raises(ValidationFailed):
        editing.edit_order(order.id, Edit(quantities={a.id: 0, b.id: 0}))
    assert snapshot(order.id) == before


def test_a_new_line_takes_todays_price_and_old_lines_keep_theirs(order):
    a, b = order.lines
    db.session.get(ProductVariant, a.variant_id).price = Decimal("1200.00")
    product = ProductFactory(name_ru="Шарф", name_en="Scarf", vat_rate="10")
    c = VariantFactory(product=product, price=Decimal("700.00"), stock=5, size="M")
    db.session.commit()
    editing.edit_order(order.id, Edit(added={c.id: 2}))
    o = fresh(order)
    assert [(line.sku, line.unit_price, line.quantity) for line in o.lines] == [
        (a.sku, Decimal("1000.00"), 2), (b.sku, Decimal("500.00"), 3),
        (c.sku, Decimal("700.00"), 2)]
    new = o.lines[-1]
    assert (new.product_name, new.vat_rate, new.line_total) == ("Шарф", "10", Decimal("1400.00"))
    assert new.variant_label == "M"
    assert o.subtotal == Decimal("4900.00") and o.total == Decimal("5290.00")
    assert stock_of(c.id) == 3
    assert {(rate.value, amount) for rate, amount in o.vat_lines} >= {("10", Decimal("127.27"))}


def test_adding_a_variant_already_sold_at_todays_price_grows_its_line(order):
    a, _b = order.lines
    editing.edit_order(order.id, Edit(added={a.variant_id: 1}))
    o = fresh(order)
    assert len(o.lines) == 2 and o.lines[0].quantity == 3
    assert stock_of(a.variant_id) == 7


def test_an_item_not_on_sale_cannot_be_added(order):
    hidden = stocked()
    hidden.active = False
    db.session.commit()
    before = snapshot(order.id)
    with pytest.raises(ValidationFailed):
        editing.edit_order(order.id, Edit(added={hidden.id: 1}))
    with pytest.raises(ValidationFailed):
        editing.edit_order(order.id, Edit(added={999999: 1}))
    assert snapshot(order.id) == before


def test_delivery_change_recomputes_its_price(order):
    pickup = DeliveryMethodFactory(name_ru="Самовывоз", name_en="Pickup", price=Decimal("0"),
                                   needs_address=False, vat_rate="20")
    editing.edit_order(order.id, Edit(delivery_method_id=pickup.id))
    o = fresh(order)
    assert (o.delivery_method_id, o.delivery_method_name, o.delivery_price) == (
        pickup.id, "Самовывоз", Decimal("0.00"))
    assert o.shipping_address is None and o.total == Decimal("3500.00")
    assert o.delivery_vat_rate == "20"
    assert o.events[-1].data["delivery"] == {"before": "Курьер", "after": "Самовывоз"}


def test_a_courier_needs_an_address(order):
    pickup = DeliveryMethodFactory(price=Decimal("0"), needs_address=False)
    editing.edit_order(order.id, Edit(delivery_method_id=pickup.id))
    courier = DeliveryMethodFactory(price=Decimal("500.00"), free_from=None)
    before = snapshot(order.id)
    with pytest.raises(ValidationFailed):
        editing.edit_order(order.id, Edit(delivery_method_id=courier.id, address="  "))
    assert snapshot(order.id) == before
    editing.edit_order(order.id, Edit(delivery_method_id=courier.id,
                                      address="  190000, Санкт-Петербург,\n Невский, 1 "))
    o = fresh(order)
    assert o.shipping_address == "190000, Санкт-Петербург, Невский, 1"
    assert o.delivery_price == Decimal("500.00") and o.total == Decimal("4000.00")


def test_the_address_alone_can_change(order):
    editing.edit_order(order.id, Edit(address="101000, Москва, ул. Покровка, 2"))
    o = fresh(order)
    assert o.shipping_address == "101000, Москва, ул. Покровка, 2"
    assert o.events[-1].data["address"] is True and o.total == Decimal("3890.00")


def test_free_delivery_follows_the_new_goods_total(order):
    a, b = order.lines
    editing.edit_order(order.id, Edit(quantities={a.id: 4}))  # 5500.00: free from 5000.00
    o = fresh(order)
    assert o.delivery_price == Decimal("0.00") and o.total == Decimal("5500.00")
    editing.edit_order(order.id, Edit(quantities={b.id: 1}))  # 4500.00: paid again
    o = fresh(order)
    assert o.delivery_price == Decimal("390.00") and o.total == Decimal("4890.00")


@pytest.mark.parametrize("status", ["shipped", "delivered", "cancelled", "refunded",
                                    "partly_refunded"])
def test_orders_that_left_or_closed_cannot_be_edited(order, status):
    db.session.get(Order, order.id).status = status
    db.session.commit()
    before = snapshot(order.id)
    with pytest.raises(NotEditable):
        editing.edit_order(order.id, Edit(quantities={order.lines[0].id: 1}))
    assert snapshot(order.id) == before


def test_processing_orders_can_be_edited(order):
    orders.transition(order.id, "processing")
    editing.edit_order(order.id, Edit(quantities={order.lines[0].id: 1}))
    assert fresh(order).subtotal == Decimal("2500.00")


@pytest.mark.parametrize("edit", [
    Edit(quantities={"x": 1}),
    Edit(quantities={1: "two"}),
    Edit(quantities={1: -1}),
    Edit(quantities={1: 10_000}),
    Edit(quantities={1: 1.5}),
    Edit(added={"abc": 1}),
    Edit(added={1: "many"}),
    Edit(delivery_method_id="courier"),
    Edit(address="x" * 501),
    Edit(address="a\x00b"),
    Edit(reason="r" * 1001),
])
def test_nonsense_is_refused_and_changes_nothing(order, edit):
    before = snapshot(order.id)
    with pytest.raises(ValidationFailed):
        editing.edit_order(order.id, edit)
    assert snapshot(order.id) == before


def test_another_orders_line_is_refused(order):
    other = place_two_lines("cash")
    before = snapshot(order.id)
    with pytest.raises(ValidationFailed):
        editing.edit_order(order.id, Edit(quantities={other.lines[0].id: 1}))
    assert snapshot(order.id) == before


def test_nothing_changed_is_said(order):
    a, _b = order.lines
    with pytest.raises(ValidationFailed):
        editing.edit_order(order.id, Edit(quantities={a.id: 2}))
    assert mails("order_changed") == []


def test_unknown_order_is_not_found(db):
    for order_id in (424242, "x", None):
        with pytest.raises(NotFound):
            editing.edit_order(order_id, Edit(quantities={1: 1}))


def test_a_stale_page_is_refused(order):
    a, b = order.lines
    seen = editing.version_of(order)
    editing.edit_order(order.id, Edit(quantities={a.id: 1}), version=seen)
    before = snapshot(order.id)
    with pytest.raises(OrderChanged):
        editing.edit_order(order.id, Edit(quantities={b.id: 1}), version=seen)
    assert snapshot(order.id) == before


def test_preview_writes_nothing(order):
    a, _b = order.lines
    before = snapshot(order.id)
    _order, plan = editing.preview(order.id, Edit(quantities={a.id: 5}))
    assert plan.total == Decimal("6500.00") and plan.delivery_price == Decimal("0.00")
    assert snapshot(order.id) == before


def test_the_email_goes_in_the_customers_language(db):
    shopper = UserFactory(locale="en")
    order = fresh(place_two_lines("cash", user_id=shopper.id))
    editing.edit_order(order.id, Edit(quantities={order.lines[0].id: 1}))
    mail = mails("order_changed")[-1]
    assert mail.locale == "en"
    assert "has been changed" in mail.subject
    assert "removed" not in mail.body_text and "2 → 1" in mail.body_text
    assert "You pay" in mail.body_text
