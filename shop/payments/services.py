"""Payments: open an attempt for an order, apply a provider's webhook, close on cancel/refund.

A webhook is applied at most once: its event id is stored in PaymentEvent (unique per provider)
in the same transaction as its effect, so a replay, or two deliveries racing, change nothing
the second time.
"""

import json
import logging
import secrets
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from shop.core.errors import NotFound
from shop.extensions import db
from shop.orders.models import Order, OrderStatus
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

    Raises providers.BadWebhook (bad signature or body: the caller answers 400).
    """
    from shop.orders.services import InvalidTransition, _apply

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
    db.session.add(
        PaymentEvent(
            provider=provider.code,
            event_id=event.event_id,
            payment_id=payment.id,
            kind=event.kind,
            payload=json.dumps({"type": event.kind, "reference": event.reference}),
        )
    )
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return "duplicate"
    outcome = "ignored"
    if payment.status == PaymentStatus.PENDING:
        if event.kind == "payment.succeeded":
            outcome = "applied"
            order = payment.order
            # The order row first, the payment row after: the order that cancel and expiry
            # lock them in, so a webhook racing an expiry waits instead of deadlocking.
            try:
                _apply(order, OrderStatus.PAID, note=f"paid: {provider.code}")
            except InvalidTransition:
                # Money arrived for an order already cancelled (expired): staff must refund.
                log.warning("payment %s succeeded for order %s in status %s",
                            payment.id, order.number, order.status)
                flag_late_payment(order, payment)
            payment.status = PaymentStatus.SUCCEEDED
        elif event.kind == "payment.failed":
            payment.status = PaymentStatus.FAILED
            outcome = "applied"
    try:
        db.session.commit()
    except IntegrityError:
        # The same event committed by a concurrent delivery.
        db.session.rollback()
        return "duplicate"
    return outcome


LATE_PAYMENT_NOTE = "LATE PAYMENT: money arrived after the order was {status}; refund it"


def flag_late_payment(order: Order, payment: Payment) -> None:
    """Leave a note in the order's timeline (no commit) that staff see in the back office.

    The order keeps its status (from == to): the event only records that money came in for
    an order that is no longer waiting for it, with the amount and the payment reference.
    """
    from shop.orders.models import OrderEvent

    db.session.add(
        OrderEvent(
            order_id=order.id,
            from_status=order.status,
            to_status=order.status,
            note=(
                LATE_PAYMENT_NOTE.format(status=order.status)
                + f" ({payment.amount} {payment.currency}, {payment.provider}"
                f" {payment.provider_reference})"
            ),
        )
    )


def close_payments(order: Order, refund: bool) -> None:
    """On cancel or refund (no commit): pending attempts are cancelled, taken money refunded."""
    for payment in order.payments:
        if payment.status == PaymentStatus.PENDING:
            payment.status = PaymentStatus.CANCELLED
        elif payment.status == PaymentStatus.SUCCEEDED:
            providers.get(payment.provider).refund(payment)
            payment.status = PaymentStatus.REFUNDED
