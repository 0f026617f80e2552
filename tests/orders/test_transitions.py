"""The status machine: every allowed move works, every other move is refused and changes nothing."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from shop.core.errors import NotFound
from shop.core.models import utcnow
from shop.extensions import db as _db
from shop.inventory.models import StockMovement
from shop.notifications.models import OutboxMessage
from shop.orders import services
from shop.orders.models import Order, OrderEvent, OrderStatus
from shop.payments.models import PaymentStatus
from tests.checkout.helpers import place, stocked
from tests.factories import UserFactory

S = OrderStatus
ALLOWED = {
    (S.NEW, S.PAID), (S.NEW, S.PROCESSING), (S.NEW, S.CANCELLED),
    (S.PAID, S.PROCESSING), (S.PAID, S.CANCELLED), (S.PAID, S.REFUNDED),
    (S.PROCESSING, S.SHIPPED), (S.PROCESSING, S.CANCELLED), (S.PROCESSING, S.REFUNDED),
    (S.SHIPPED, S.DELIVERED), (S.SHIPPED, S.REFUNDED),
    (S.DELIVERED, S.REFUNDED),
}  # fmt: skip
# A path from NEW to each status, through allowed moves.
PATHS = {
    S.NEW: [],
    S.PAID: [S.PAID],
    S.PROCESSING: [S.PAID, S.PROCESSING],
    S.SHIPPED: [S.PAID, S.PROCESSING, S.SHIPPED],
    S.DELIVERED: [S.PAID, S.PROCESSING, S.SHIPPED, S.DELIVERED],
    S.CANCELLED: [S.CANCELLED],
    S.REFUNDED: [S.PAID, S.REFUNDED],
    # and then some lines refunded (record_refund, as shop.returns does): never by hand
    S.PARTLY_REFUNDED: [S.PAID, S.PROCESSING, S.SHIPPED, S.DELIVERED],
}


def order_in(status, variant=None):
    order = place(variant=variant, quantity=2)
    for step in PATHS[status]:
        services.transition(order.id, step)
    if status == S.PARTLY_REFUNDED:
        services.record_refund(order, full=False, data={"amount": "1.00"})
        _db.session.commit()
    return order


def test_table_matches_the_issue():
    table = {(a, b) for a, targets in services.TRANSITIONS.items() for b in targets}
    assert table == ALLOWED
    assert services.allowed_transitions("shipped") == [S.DELIVERED, S.REFUNDED]
    assert services.allowed_transitions("nonsense") == []


@pytest.mark.parametrize(("start", "target"), sorted(ALLOWED))
def test_allowed_transition(db, start, target):
    staff = UserFactory()
    order = order_in(start)
    before = _db.session.scalar(select(func.count(OrderEvent.id)))
    services.transition(order.id, target, actor=staff, note="by hand")
    _db.session.expire_all()
    assert order.status == target
    event = order.events[-1]
    assert (event.from_status, event.to_status, event.actor_id, event.note) == (
        start, target, staff.id, "by hand",
    )
    assert _db.session.scalar(select(func.count(OrderEvent.id))) == before + 1


@pytest.mark.parametrize(
    ("start", "target"),
    sorted((a, b) for a in S for b in S if (a, b) not in ALLOWED),
)
def test_refused_transition_changes_nothing(db, start, target):
    order = order_in(start)
    events = len(order.events)
    with pytest.raises(services.InvalidTransition):
        services.transition(order.id, target)
    _db.session.expire_all()
    assert order.status == start and len(order.events) == events


def test_refunds_by_line_move_a_delivered_order_and_nothing_else(db):
    assert services.allowed_transitions(S.PARTLY_REFUNDED) == []
    order = order_in(S.DELIVERED)
    services.record_refund(order, full=False, note="why", data={"amount": "10.00"})
    _db.session.commit()
    _db.session.expire_all()
    assert order.status == S.PARTLY_REFUNDED
    assert (order.events[-1].kind, order.events[-1].from_status) == ("refunded_part", "delivered")
    services.record_refund(order, full=False, data={"amount": "20.00"})  # once more: a note
    _db.session.commit()
    _db.session.expire_all()
    assert order.status == S.PARTLY_REFUNDED and order.events[-1].to_status == S.PARTLY_REFUNDED
    services.record_refund(order, full=True, data={"amount": "30.00"})
    _db.session.commit()
    _db.session.expire_all()
    assert order.status == S.REFUNDED
    shipped = order_in(S.SHIPPED)
    with pytest.raises(services.InvalidTransition):
        services.record_refund(shipped, full=False, data={})


def test_unknown_order_and_status(db):
    with pytest.raises(NotFound):
        services.transition(12345, S.PAID)
    with pytest.raises(NotFound):
        services.transition("abc", S.PAID)
    order = order_in(S.NEW)
    with pytest.raises(services.InvalidTransition):
        services.transition(order.id, "teleported")


@pytest.mark.parametrize("start", [S.NEW, S.PAID, S.PROCESSING])
def test_cancel_returns_stock_and_emails(db, start):
    variant = stocked(stock=5)
    order = order_in(start, variant=variant)
    _db.session.expire_all()
    assert variant.stock == 3
    services.transition(order.id, S.CANCELLED)
    _db.session.expire_all()
    assert variant.stock == 5
    returned = _db.session.scalars(select(StockMovement).where(StockMovement.delta > 0)).one()
    assert (returned.reason, returned.order_id, returned.stock_after) == ("cancel", order.id, 5)
    kinds = _db.session.scalars(select(OutboxMessage.kind)).all()
    assert "order_cancelled" in kinds
    assert all(p.status != PaymentStatus.PENDING for p in order.payments)


def test_refund_after_shipping_keeps_stock_and_marks_payment(db):
    variant = stocked(stock=5)
    order = order_in(S.SHIPPED, variant=variant)
    order.payments[0].status = PaymentStatus.SUCCEEDED
    _db.session.commit()
    services.transition(order.id, S.REFUNDED)
    _db.session.expire_all()
    assert variant.stock == 3
    assert order.payments[0].status == PaymentStatus.REFUNDED


def test_shipping_queues_translated_email(db):
    order = order_in(S.PROCESSING)
    order.locale = "en"
    _db.session.commit()
    services.transition(order.id, S.SHIPPED)
    mail = _db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "order_shipped")
    ).one()
    assert mail.locale == "en" and "on its way" in mail.subject


def test_customer_cancel_only_before_shipping(db):
    order = order_in(S.SHIPPED)
    with pytest.raises(services.InvalidTransition):
        services.cancel_by_customer(order)
    order = order_in(S.PAID)
    services.cancel_by_customer(order)
    assert _db.session.get(Order, order.id).status == S.CANCELLED


def test_stale_status_loses_the_race(db):
    """Two actors read the order as NEW; the second move finds it changed and is refused."""
    order = order_in(S.NEW)
    stale = _db.session.get(Order, order.id)
    _db.session.execute(
        Order.__table__.update().where(Order.__table__.c.id == order.id).values(status="paid")
    )
    with pytest.raises(services.InvalidTransition):
        services._apply(stale, S.CANCELLED)
    _db.session.rollback()
    _db.session.expire_all()
    assert _db.session.get(Order, order.id).status == S.NEW  # the raw update was rolled back too


def test_expire_cancels_only_overdue_unpaid_card_orders(app, db):
    variant = stocked(stock=10)
    overdue = place(variant=variant, payment="card")
    fresh = place(variant=variant, payment="card")
    cash = place(variant=variant, payment="cash")
    overdue.expires_at = utcnow() - timedelta(minutes=1)
    cash.expires_at = utcnow() - timedelta(minutes=1)
    _db.session.commit()
    assert services.expire_unpaid() == 1
    assert services.expire_unpaid() == 0  # a second run finds nothing
    _db.session.expire_all()
    assert [o.status for o in (overdue, fresh, cash)] == ["cancelled", "new", "new"]
    assert variant.stock == 8
    assert overdue.events[-1].kind == "expired"


def test_expire_cli(app, db):
    order = place(payment="card")
    order.expires_at = utcnow() - timedelta(hours=1)
    _db.session.commit()
    result = app.test_cli_runner().invoke(args=["orders", "expire"])
    assert result.exit_code == 0, result.output
    assert "1" in result.output
    _db.session.expire_all()
    assert order.status == "cancelled"


def test_guest_token_round_trip_and_tampering(app, db):
    order = order_in(S.NEW)
    token = services.guest_token(order)
    assert services.order_from_guest_token(token).id == order.id
    for bad in (token[:-2] + "xx", "garbage", ""):
        with pytest.raises(NotFound):
            services.order_from_guest_token(bad)
    order.access_token = "rotated"
    _db.session.commit()
    with pytest.raises(NotFound):
        services.order_from_guest_token(token)


def test_confirmation_email_in_the_order_language(app, db):
    order = order_in(S.NEW)
    mail = _db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "order_placed")
    ).one()
    assert mail.locale == "ru" and "оформлен" in mail.subject and order.number in mail.subject
    assert "/orders/view/" in mail.body_text  # the guest's signed link
