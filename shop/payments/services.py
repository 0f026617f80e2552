"""Payments: open an attempt for an order, apply a provider's webhook, close on cancel/refund,
refund money that came too late.

A webhook is applied at most once: its event id is stored in PaymentEvent (unique per provider)
in the same transaction as its effect, so a replay, or two deliveries racing, change nothing
the second time. Distinct events for one payment are applied one at a time, under a lock on its
order and payment rows. Money taken is never dropped: a success that the order can no longer
take (cancelled, expired) leaves the payment awaiting a refund, which staff see in the back
office and give back with `refund_late_payment`.

Layers: payments builds on orders. A payment outcome changes its order through public
`shop.orders.services` functions (`mark_paid`, `record_late_payment`, `record_late_refund`);
orders never imports this package, and reaches it only through the signals of
`shop.orders.signals` that `shop.payments.init_app` connects to `close_payments` and
`has_succeeded_payment` here.
"""

import json
import logging
import secrets
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from shop.core.errors import DomainError, NotFound
from shop.extensions import db
from shop.orders.models import Order, OrderStatus
from shop.orders.services import (
    InvalidTransition,
    mark_paid,
    record_late_payment,
    record_late_refund,
)
from shop.payments import providers
from shop.payments.models import Payment, PaymentEvent, PaymentStatus

log = logging.getLogger(__name__)


def new_payment(order: Order) -> Payment:
    """A pending payment attempt for the order's total (no commit)."""
    attempt = (
        db.session.scalar(select(func.count(Payment.id)).where(Payment.order_id == order.id)) or 0
    ) if order.id else 0
    payment = Payment(
        order=order,
        provider=order.payment_method,
        amount=order.total,
        currency=order.currency,
        status=PaymentStatus.PENDING,
        provider_reference=secrets.token_urlsafe(18),
        idempotency_key=f"{order.number}-{attempt + 1}",
    )
    db.session.add(payment)
    return payment


def pending_payment(order: Order) -> Payment | None:
    return next((p for p in order.payments if p.status == PaymentStatus.PENDING), None)


def retry(order: Order) -> Payment:
    """Another attempt after a declined card; commits. Raises NotFound when not payable."""
    if order.status != OrderStatus.NEW or order.payment_method != "card":
        raise NotFound()
    payment = pending_payment(order) or new_payment(order)
    db.session.commit()
    return payment


def payment_by_reference(provider: str, reference: str) -> Payment:
    payment = db.session.scalar(
        select(Payment).where(Payment.provider == provider, Payment.provider_reference == reference)
    )
    if payment is None:
        raise NotFound()
    return payment


def handle_webhook(provider_code: str, body: bytes, signature: str | None) -> str:
    """Verify and apply one webhook; commits. Returns "applied", "duplicate" or "ignored".

    A success for a payment we no longer wait for (cancelled with its expired order, or failed
    earlier) is still money taken: it is recorded, and flagged for a refund when the order
    cannot take it. A second, distinct success for a payment already succeeded is "ignored".
    Raises providers.BadWebhook (bad signature or body: the caller answers 400).
    """
    provider = providers.get(provider_code)
    event = provider.parse_webhook(body, signature)
    payment = db.session.scalar(
        select(Payment).where(
            Payment.provider == provider.code, Payment.provider_reference == event.reference
        )
    )
    if payment is None:
        raise providers.BadWebhook()
    try:
        amount = Decimal(event.amount)
    except InvalidOperation:
        raise providers.BadWebhook() from None
    if amount != payment.amount or event.currency != payment.currency:
        raise providers.BadWebhook()
    try:
        outcome = _apply_event(provider, payment, event)
        db.session.commit()
    except IntegrityError:
        # The same event id already stored (a replay, or a delivery racing this one).
        db.session.rollback()
        return "duplicate"
    except Exception:
        db.session.rollback()
        raise
    return outcome


# A success for a payment in one of these means money we have not recorded yet.
AWAITING_MONEY = (PaymentStatus.PENDING, PaymentStatus.FAILED, PaymentStatus.CANCELLED)


def _apply_event(provider, payment: Payment, event) -> str:
    """Store the event and apply it to the payment and its order (no commit)."""
    order, payment = lock_order_and_payment(payment)
    db.session.add(
        PaymentEvent(
            provider=provider.code,
            event_id=event.event_id,
            payment_id=payment.id,
            kind=event.kind,
            payload=json.dumps({"type": event.kind, "reference": event.reference}),
        )
    )
    db.session.flush()  # IntegrityError: a duplicate event id
    if event.kind == "payment.succeeded" and payment.status in AWAITING_MONEY:
        record_success(order, payment)
        return "applied"
    if event.kind == "payment.failed" and payment.status == PaymentStatus.PENDING:
        payment.status = PaymentStatus.FAILED
        return "applied"
    return "ignored"


def lock_order_and_payment(payment: Payment) -> tuple[Order, Payment]:
    """Lock the payment's order row, then the payment row (SELECT ... FOR UPDATE), and read
    both again under the lock.

    Their statuses must be read under the lock: two notifications for one payment, each seeing
    it pending, would both pay the order (the loser then flagging a false late payment). The
    order row comes first, the payment row after: the order in which cancel and expiry take
    them (the order's move updates the order, `close_payments` then the payment), so a notification
    racing them waits instead of deadlocking. SQLite ignores FOR UPDATE; it has one writer.
    """
    order = db.session.scalar(
        select(Order)
        .where(Order.id == payment.order_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    payment = db.session.scalar(
        select(Payment)
        .where(Payment.id == payment.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return order, payment


def record_success(order: Order, payment: Payment) -> None:
    """The provider took the payment's money (no commit; both rows locked by the caller).

    The order becomes paid when it can; otherwise (cancelled, expired, already paid by another
    attempt) the payment waits for a refund and the timeline tells staff so.
    """
    payment.status = PaymentStatus.SUCCEEDED
    try:
        mark_paid(order, **_facts(payment))
    except InvalidTransition:
        log.warning("payment %s succeeded for order %s in status %s: to refund",
                    payment.id, order.number, order.status)
        payment.status = PaymentStatus.NEEDS_REFUND
        record_late_payment(order, **_facts(payment))


def _facts(payment: Payment) -> dict:
    """What the order's timeline keeps of a payment."""
    return {
        "provider": payment.provider,
        "amount": payment.amount,
        "currency": payment.currency,
        "reference": payment.provider_reference,
    }


def has_succeeded_payment(order: Order) -> bool:
    """Whether the shop holds `order`'s money: the answer to `shop.orders.signals.payment_check`
    (orders asks before a prepaid order is marked paid or fulfilled)."""
    return (
        db.session.scalar(
            select(Payment.id)
            .where(Payment.order_id == order.id, Payment.status == PaymentStatus.SUCCEEDED)
            .limit(1)
        )
        is not None
    )


def close_payments(order: Order, refund: bool) -> None:
    """On cancel or refund (no commit): pending attempts are cancelled, taken money refunded.

    Receives `shop.orders.signals.order_closed`, inside the transaction that moves the order.
    """
    for payment in order.payments:
        if payment.status == PaymentStatus.PENDING:
            payment.status = PaymentStatus.CANCELLED
        elif payment.status in (PaymentStatus.SUCCEEDED, PaymentStatus.NEEDS_REFUND):
            providers.get(payment.provider).refund(payment)
            payment.status = PaymentStatus.REFUNDED


# Refunds of money the order did not take --------------------------------------------------------

# Orders that keep no money: a succeeded payment on one of them is to be given back.
FINAL_WITHOUT_MONEY = (OrderStatus.CANCELLED.value, OrderStatus.REFUNDED.value)


class NothingToRefund(DomainError):
    message = _l("This payment is not waiting for a refund.")


def awaiting_refund():
    """The condition on Payment (joined to its Order) of money taken that the order does not
    keep: flagged by `record_success`, or a success left on a cancelled order by older code."""
    return or_(
        Payment.status == PaymentStatus.NEEDS_REFUND,
        and_(
            Payment.status == PaymentStatus.SUCCEEDED,
            Order.status.in_(FINAL_WITHOUT_MONEY),
        ),
    )


def payments_to_refund(limit: int = 20) -> tuple[int, list[Payment]]:
    """(how many, the oldest `limit`) payments awaiting a refund, their orders loaded."""
    base = select(Payment).join(Order, Order.id == Payment.order_id).where(awaiting_refund())
    count = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    payments = db.session.scalars(
        base.options(contains_eager(Payment.order)).order_by(Payment.id).limit(limit)
    ).all()
    return count, list(payments)


def refund_ids(order: Order) -> set[int]:
    """Ids of the order's payments awaiting a refund."""
    return set(
        db.session.scalars(
            select(Payment.id)
            .join(Order, Order.id == Payment.order_id)
            .where(Payment.order_id == order.id, awaiting_refund())
        )
    )


def refund_late_payment(payment_id, actor=None, also=None) -> Payment:
    """Give back money taken for an order that did not keep it; commits.

    The provider refunds it, the payment becomes refunded and the order's timeline says so (the
    order keeps its status). `also(payment)`: more writes of the same transaction (the back
    office's audit entry). Raises NotFound (no such payment), NothingToRefund (the payment is
    not awaiting a refund, e.g. refunded a moment ago by someone else). On error nothing is
    written.
    """
    try:
        payment = db.session.get(Payment, int(payment_id))
    except (TypeError, ValueError):
        payment = None
    if payment is None:
        raise NotFound()
    try:
        order, payment = lock_order_and_payment(payment)
        waiting = payment.status == PaymentStatus.NEEDS_REFUND or (
            payment.status == PaymentStatus.SUCCEEDED and order.status in FINAL_WITHOUT_MONEY
        )
        if not waiting:
            raise NothingToRefund()
        providers.get(payment.provider).refund(payment)
        payment.status = PaymentStatus.REFUNDED
        record_late_refund(order, actor=actor, **_facts(payment))
        if also is not None:
            also(payment)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return payment
