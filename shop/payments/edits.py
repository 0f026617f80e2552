"""The money side of staff editing an order (issue 19.3; shop.orders.editing changes the order).

Receives `shop.orders.signals.order_edited` inside the edit's transaction, with the order row
locked and the lines not yet changed, and settles the money for the order's new total:

- cash on delivery: nothing; the courier takes the new total;
- a prepaid order not paid yet: its pending attempts (made for the old total) are cancelled, so
  "pay" opens a new one for the new total. One paid at the provider all the same is not the
  order's money (`services.record_success` sees its amount differ) and awaits a refund;
- a paid order whose total went down: the difference is refunded through the provider that
  took the money (newest payment first), with a refund receipt of the items taken off
  (shop.payments.receipts, as refunds by line), and the payment keeps `refunded_amount`, so a
  later cancel refunds only the rest and the settlement receipt is for what was kept;
- a paid order whose total went up: a second attempt of kind EXTRA for the difference, paid
  through the link in the customer's email (payments' "go to payment" page). Until it
  succeeds the order does not hold its money (`services.has_succeeded_payment`), so it cannot
  be prepared or shipped. A pending extra attempt is cancelled by the next edit, which asks
  for the difference anew.

A refund the provider refuses, or does not answer, raises and undoes the whole edit. The refund
is keyed by the edit (its number among the order's edits) and the payment, so the same edit
tried again after a lost answer is answered by the provider instead of refunded twice.
"""

import logging
from decimal import Decimal

from sqlalchemy import select

from shop.extensions import db
from shop.orders.models import Order, OrderStatus, PaymentMethod
from shop.payments import providers
from shop.payments.base import RefundPart
from shop.payments.models import Payment, PaymentKind, PaymentStatus
from shop.payments.services import held_money, new_payment

log = logging.getLogger(__name__)


def settle_edit(order: Order, *, new_total, refund_parts=(), key: str, **_signal) -> dict | None:
    """Settle the money of an edit that makes `order`'s total `new_total` (no commit).

    `refund_parts`: (order line id or None for the delivery, units, amount) taken off, for the
    refund receipt. Returns {"action": "refunded"|"extra"|"repay", "amount": str} or None.
    Raises providers.ProviderUnavailable / ProviderRefused (a refund not made: undo the edit).
    """
    if order.payment_method == PaymentMethod.CASH.value:
        return None
    for payment in order.payments:
        if payment.status == PaymentStatus.PENDING:  # asked for a total that is no more
            payment.status = PaymentStatus.CANCELLED
    if order.status == OrderStatus.NEW.value:
        return {"action": "repay", "amount": str(new_total)}
    due = Decimal(new_total) - held_money(order)
    if due < 0:
        parts = [RefundPart(line_id, quantity, Decimal(amount))
                 for line_id, quantity, amount in refund_parts]
        _refund(order, -due, parts, key)
        return {"action": "refunded", "amount": str(-due)}
    if due > 0:
        _new_extra(order, due)
        return {"action": "extra", "amount": str(due)}
    return None


def _refund(order: Order, amount: Decimal, parts: list[RefundPart], key: str) -> None:
    """Give `amount` back from the order's succeeded payments, newest first (no commit)."""
    left = amount
    payments = db.session.scalars(
        select(Payment)
        .where(Payment.order_id == order.id, Payment.status == PaymentStatus.SUCCEEDED)
        .order_by(Payment.id.desc())
        .with_for_update()
    ).all()
    for payment in payments:
        part = min(left, payment.held)
        if part <= 0:
            continue
        providers.get(payment.provider).refund(
            payment, amount=part, parts=parts, key=f"{key}-{payment.id}"[:64]
        )
        payment.refunded_amount = Decimal(payment.refunded_amount or 0) + part
        if payment.held <= 0:
            payment.status = PaymentStatus.REFUNDED
        left -= part
        if left <= 0:
            return
    # More to give back than the payments hold: never expected (the order kept its money).
    log.error("order %s: %s left to refund after an edit", order.number, left)
    raise providers.ProviderRefused()


def _new_extra(order: Order, amount: Decimal) -> Payment:
    """A pending attempt for `amount` more (no commit)."""
    payment = new_payment(order)
    payment.kind = PaymentKind.EXTRA
    payment.amount = amount
    return payment


def amount_due(order: Order) -> Decimal:
    """What a paid prepaid order still waits for after an edit raised its total (0: nothing)."""
    if order.payment_method == PaymentMethod.CASH.value or order.status not in (
        OrderStatus.PAID.value, OrderStatus.PROCESSING.value
    ):
        return Decimal("0")
    return max(Decimal(order.total) - held_money(order), Decimal("0"))


def extra_attempt(order: Order) -> Payment | None:
    """The attempt through which the customer pays what an edit added: the pending one, or a
    new one after a declined one (commits then); None when nothing is due."""
    due = amount_due(order)
    if due <= 0:
        return None
    pending = next((p for p in order.payments if p.kind == PaymentKind.EXTRA
                    and p.status == PaymentStatus.PENDING and p.amount == due), None)
    if pending is not None:
        return pending
    try:
        payment = _new_extra(order, due)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return payment
