"""The settlement receipt (чек зачёта предоплаты, 54-FZ) of a prepaid order handed over.

A card or СБП order is paid before it leaves, under a "full prepayment" receipt; when it reaches
the shopper (delivered, or collected at a pickup point) the law wants a second receipt settling
that prepayment. Orders announces the hand-over with `shop.orders.signals.order_handed_over`,
after its commit; `settle_on_handover` answers it.

The receipt is first recorded (a FiscalReceipt row, committed on its own), then sent. A provider
that does not answer (or says no) leaves the row "failed" with the reason, logged and shown to
staff on the order; `retry_receipts` (`python manage.py payments receipts --retry`, for cron)
sends it again under the same Idempotence-Key, so however many tries it takes the shop makes one
receipt. The status change never waits for any of this.
"""

import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shop.extensions import db
from shop.payments import providers
from shop.payments.base import ProviderRefused, ProviderUnavailable
from shop.payments.models import FiscalReceipt, Payment, PaymentStatus, ReceiptStatus

log = logging.getLogger(__name__)

SETTLEMENT = "settlement"
TO_SEND = (ReceiptStatus.PENDING, ReceiptStatus.FAILED)


def settle_on_handover(order, **_signal) -> None:
    """Record and send the settlement receipt of every succeeded payment of `order` taken by a
    provider that sends receipts (receiver of `order_handed_over`; commits its own rows).
    Raises nothing: a failure stays on the receipt's row for a retry."""
    payments = db.session.scalars(
        select(Payment)
        .where(Payment.order_id == order.id, Payment.status == PaymentStatus.SUCCEEDED)
        .order_by(Payment.id)
    ).all()
    for payment in payments:
        provider = providers.PROVIDERS.get(payment.provider)
        if provider is None or not provider.sends_receipts:
            continue
        receipt = _record(payment)
        if receipt is not None and receipt.status in TO_SEND:
            send(receipt)


def _record(payment: Payment) -> FiscalReceipt | None:
    """The payment's settlement receipt row, made now if it has none (commits)."""
    try:
        found = db.session.scalar(
            select(FiscalReceipt).where(FiscalReceipt.payment_id == payment.id,
                                        FiscalReceipt.kind == SETTLEMENT)
        )
        if found is not None:
            return found
        receipt = FiscalReceipt(payment_id=payment.id, kind=SETTLEMENT,
                                status=ReceiptStatus.PENDING, attempts=0)
        db.session.add(receipt)
        db.session.commit()
        return receipt
    except IntegrityError:
        db.session.rollback()  # recorded meanwhile by another process: it sends it
        return None
    except Exception:
        db.session.rollback()
        log.exception("payment %s: the settlement receipt could not be recorded", payment.id)
        return None


def _reason(exc: ProviderUnavailable) -> str:
    status, code = exc.details.get("status"), exc.details.get("code")
    if isinstance(exc, ProviderRefused):
        return f"refused: HTTP {status} {code or ''}".strip()
    return f"no answer: HTTP {status}" if status else "no answer"


def send(receipt: FiscalReceipt) -> bool:
    """Send one recorded receipt through its payment's provider; True once the provider took
    it. The outcome (the provider's id, or the reason it failed) is committed on the row."""
    payment = receipt.payment
    provider = providers.get(payment.provider)
    receipt.attempts = (receipt.attempts or 0) + 1
    try:
        reference = provider.send_settlement_receipt(payment)
    except ProviderUnavailable as exc:
        receipt.status = ReceiptStatus.FAILED
        receipt.last_error = _reason(exc)[:255]
        log.error("order %s: settlement receipt of payment %s not sent (%s), to retry",
                  payment.order.number, payment.provider_reference, receipt.last_error)
    else:
        receipt.status = ReceiptStatus.SENT
        receipt.provider_reference = reference
        receipt.last_error = None
    db.session.commit()
    return receipt.status == ReceiptStatus.SENT


def receipts_to_send(limit: int = 100) -> list[FiscalReceipt]:
    """Receipts recorded but not taken by the provider yet, oldest first."""
    return list(db.session.scalars(
        select(FiscalReceipt)
        .where(FiscalReceipt.status.in_(TO_SEND))
        .order_by(FiscalReceipt.id)
        .limit(limit)
    ))


def retry_receipts(limit: int = 100) -> tuple[int, int]:
    """Send again every receipt still to send; (sent, still failing)."""
    sent = failed = 0
    for receipt in receipts_to_send(limit):
        if send(receipt):
            sent += 1
        else:
            failed += 1
    return sent, failed
