"""place_order: one transaction that never oversells, never half-writes, never duplicates."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from shop.cart import services as cart_services
from shop.cart.models import CartLine
from shop.catalog.models import Product, ProductVariant
from shop.checkout import services as checkout
from shop.core.errors import NotFound, ValidationFailed
from shop.extensions import db as _db
from shop.inventory.models import StockMovement
from shop.notifications.models import OutboxMessage
from shop.orders.models import Order, OrderEvent
from shop.payments.models import Payment
from tests.checkout.helpers import details, place, stocked
from tests.factories import DeliveryMethodFactory, UserFactory


def count(model):
    return _db.session.scalar(select(func.count()).select_from(model))


def test_place_order_snapshots_takes_stock_and_writes_everything(db):
    a = stocked(stock=5, price="1500.00")
    b = stocked(stock=2, price="250.50", size="M", colour="red")
    method = DeliveryMethodFactory(price=Decimal("390.00"), free_from=Decimal("5000.00"))
    cart = cart_services.add_item(None, a.id, 2)
    cart_services.add_item(cart, b.id, 2)
    order = checkout.place_order(cart, details(method), idempotency_key="k1")
    assert order.subtotal == Decimal("3501.00")
    assert order.delivery_price == Decimal("390.00")
    assert order.total == Decimal("3891.00")
    assert order.status == "new" and order.expires_at is None
    assert [(line.sku, line.quantity, line.unit_price) for line in order.lines] == [
        (a.sku, 2, Decimal("1500.00")),
        (b.sku, 2, Decimal("250.50")),
    ]
    assert order.lines[1].variant_label == "M / red"
    _db.session.expire_all()
    assert (a.stock, b.stock) == (3, 0)
    assert b.product.in_stock is False  # listing summary refreshed
    movements = _db.session.scalars(select(StockMovement).order_by(StockMovement.variant_id)).all()
    assert [(m.delta, m.stock_after, m.order_id) for m in movements] == [
        (-2, 3, order.id),
        (-2, 0, order.id),
    ]
    assert [e.to_status for e in order.events] == ["new"]
    assert [(p.provider, p.amount, p.status) for p in order.payments] == [
        ("cash", Decimal("3891.00"), "pending")
    ]
    assert count(CartLine) == 0
    mail = _db.session.scalars(select(OutboxMessage)).one()
    assert mail.recipient == "buyer@example.com" and order.number in mail.subject


def test_free_delivery_from_threshold_and_pickup_without_address(db):
    variant = stocked(stock=5, price="3000.00")
    pickup = DeliveryMethodFactory(price=Decimal("0"), free_from=None, needs_address=False)
    cart = cart_services.add_item(None, variant.id, 2)
    order = checkout.place_order(cart, details(pickup, address=None), idempotency_key="p")
    assert order.shipping_address is None and order.total == Decimal("6000.00")
    courier = DeliveryMethodFactory(price=Decimal("390"), free_from=Decimal("5000"))
    cart = cart_services.add_item(None, variant.id, 2)
    order = checkout.place_order(cart, details(courier), idempotency_key="c")
    assert order.delivery_price == Decimal("0.00")


def test_address_required_for_delivery(db):
    variant = stocked()
    cart = cart_services.add_item(None, variant.id, 1)
    with pytest.raises(ValidationFailed):
        checkout.place_order(
            cart, details(DeliveryMethodFactory(), address=" "), idempotency_key="x"
        )
    assert count(Order) == 0


def test_out_of_stock_writes_nothing_and_names_the_lines(db):
    a = stocked(stock=5)
    b = stocked(stock=2)
    cart = cart_services.add_item(None, a.id, 1)
    cart_services.add_item(cart, b.id, 2)
    # someone else buys b in the meantime
    b.stock = 1
    db.session.commit()
    with pytest.raises(checkout.OutOfStock) as info:
        checkout.place_order(cart, details(DeliveryMethodFactory()), idempotency_key="k")
    assert info.value.details["lines"] == [b.product.name_ru]
    _db.session.expire_all()
    assert (a.stock, b.stock) == (5, 1)
    assert count(Order) == 0 and count(StockMovement) == 0 and count(Payment) == 0
    assert count(CartLine) == 2


def test_guarded_decrement_refuses_when_stock_vanishes_after_pricing(db, monkeypatch):
    """The stock check that matters is the UPDATE, not the read: simulate a racing buyer."""
    a = stocked(stock=1)
    cart = cart_services.add_item(None, a.id, 1)
    real_quote = checkout.quote

    def quote_then_race(*args, **kwargs):
        result = real_quote(*args, **kwargs)
        _db.session.execute(
            ProductVariant.__table__.update().where(ProductVariant.id == a.id).values(stock=0)
        )
        return result

    monkeypatch.setattr(checkout, "quote", quote_then_race)
    with pytest.raises(checkout.OutOfStock):
        checkout.place_order(cart, details(DeliveryMethodFactory()), idempotency_key="r")
    assert count(Order) == 0 and count(CartLine) == 1


def test_database_error_midway_leaves_nothing_and_cart_intact(db, monkeypatch):
    variant = stocked(stock=5)
    cart = cart_services.add_item(None, variant.id, 2)

    def boom(order):
        raise RuntimeError("database went away")

    monkeypatch.setattr(checkout, "new_payment", boom)
    with pytest.raises(RuntimeError):
        checkout.place_order(cart, details(DeliveryMethodFactory()), idempotency_key="f")
    _db.session.expire_all()
    assert variant.stock == 5
    assert count(Order) == 0 and count(StockMovement) == 0 and count(OrderEvent) == 0
    assert count(OutboxMessage) == 0
    assert [line.quantity for line in cart.lines] == [2]


def test_resubmit_with_same_key_gives_one_order(db):
    variant = stocked(stock=5)
    method = DeliveryMethodFactory()
    cart = cart_services.add_item(None, variant.id, 1)
    first = checkout.place_order(cart, details(method), idempotency_key="same")
    again = checkout.place_order(cart, details(method), idempotency_key="same")
    assert first.id == again.id
    assert count(Order) == 1
    _db.session.expire_all()
    assert variant.stock == 4


def test_key_of_another_users_order_is_refused(db):
    user = UserFactory()
    order = place(user_id=user.id, key="theirs")
    variant = stocked()
    cart = cart_services.add_item(None, variant.id, 1)
    with pytest.raises(ValidationFailed):
        checkout.place_order(
            cart, details(DeliveryMethodFactory()), idempotency_key=order.idempotency_key
        )
    assert count(Order) == 1


def test_changed_price_since_review_is_shown_first(db):
    variant = stocked(stock=5, price="100.00")
    method = DeliveryMethodFactory()
    cart = cart_services.add_item(None, variant.id, 1)
    seen = checkout.quote(cart, details(method)).fingerprint
    variant.price = Decimal("120.00")
    db.session.commit()
    with pytest.raises(checkout.CartChanged):
        checkout.place_order(cart, details(method), idempotency_key="p", expected_fingerprint=seen)
    assert count(Order) == 0
    fresh = checkout.quote(cart, details(method))
    order = checkout.place_order(
        cart, details(method), idempotency_key="p", expected_fingerprint=fresh.fingerprint
    )
    assert order.subtotal == Decimal("120.00")


def test_empty_cart_inactive_delivery_and_unknown_payment(db):
    method = DeliveryMethodFactory()
    with pytest.raises(checkout.EmptyCart):
        checkout.place_order(None, details(method), idempotency_key="e")
    cart = cart_services.add_item(None, stocked().id, 1)
    with pytest.raises(ValidationFailed):
        checkout.place_order(cart, details(method, payment="bitcoin"), idempotency_key="e")
    inactive = DeliveryMethodFactory(active=False)
    with pytest.raises(NotFound):
        checkout.place_order(cart, details(inactive), idempotency_key="e")
    with pytest.raises(ValidationFailed):
        checkout.place_order(cart, details(method), idempotency_key="")
    assert count(Order) == 0


def test_card_order_gets_a_deadline(app, db):
    order = place(payment="card")
    assert order.expires_at is not None
    assert order.payments[0].provider == "card"


def test_inactive_product_cannot_be_ordered(db):
    variant = stocked()
    cart = cart_services.add_item(None, variant.id, 1)
    _db.session.get(Product, variant.product_id).active = False
    db.session.commit()
    with pytest.raises(checkout.OutOfStock):
        checkout.place_order(cart, details(DeliveryMethodFactory()), idempotency_key="i")


def test_order_number_drawn_again_when_taken(db, monkeypatch):
    first = place()
    taken = int(first.number.split("-")[1])
    draws = iter([taken, taken, 12345678])
    monkeypatch.setattr(checkout.secrets, "randbelow", lambda _n: next(draws))
    second = place()
    assert second.number.endswith("-12345678") and second.number != first.number
