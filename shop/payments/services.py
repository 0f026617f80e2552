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
from shop.orders.editing import record_extra_payment
from shop.orders.models import Order, OrderStatus, PaymentMethod
from shop.orders.services import (
    InvalidTransition,
    mark_paid,
    queue_order_email,
    record_late_payment,
    record_late_refund,
    shopper_language,
)
from shop.payments import providers
from shop.payments.models import Payment, PaymentEvent, PaymentKind, PaymentStatus

log = logging.getLogger(__name__)


def new_payment(order: Order) -> Payment:
    """A pending payment attempt for the order's total (no commit).

    Its `idempotency_key` (order number and attempt) is what a provider sees as the attempt's
    Idempotence-Key. A provider that names payments itself (YooKassa) gives the reference when
    the attempt is opened there (`payment_page`); for the others we make one now.
    """
    attempt = (
        db.session.scalar(select(func.count(Payment.id)).where(Payment.order_id == order.id)) or 0
    ) if order.id else 0
    provider = providers.for_method(order.payment_method)
    payment = Payment(
        order=order,
        provider=provider.code,
        amount=order.total,
        currency=order.currency,
        status=PaymentStatus.PENDING,
        provider_reference=None if provider.names_payments else secrets.token_urlsafe(18),
        idempotency_key=f"{order.number}-{attempt + 1}",
    )
    db.session.add(payment)
    return payment


def pending_payment(order: Order) -> Payment | None:
    return next((p for p in order.payments if p.status == PaymentStatus.PENDING), None)


class MethodUnavailable(DomainError):
    message = _l("This payment method is not available at the moment. Please try again later.")


def retry(order: Order) -> Payment:
    """The attempt to pay with now: the pending one, or another after a declined one; commits.

    Raises NotFound (the order is not waiting for a payment by card or СБП), MethodUnavailable
    (the shop no longer offers the order's payment method).
    """
    if order.status != OrderStatus.NEW or order.payment_method == PaymentMethod.CASH.value:
        raise NotFound()
    try:
        provider = providers.for_method(order.payment_method)
    except providers.BadWebhook:
        raise NotFound() from None
    if not provider.enabled():
        raise MethodUnavailable()
    payment = pending_payment(order) or new_payment(order)
    db.session.commit()
    return payment


def payment_page(payment: Payment) -> str | None:
    """Where the shopper goes to pay `payment` (None: nowhere, e.g. it is already decided).

    A provider that names payments itself is asked to open the attempt (YooKassa: POST
    /payments with the attempt's Idempotence-Key, or a GET once it has an id); its id is stored
    as the payment's reference (commits). When it has already decided (paid in another tab),
    the outcome is applied as its notification would be, and there is nowhere to go.
    Raises ProviderUnavailable (nothing is written: asking again gets the same payment).
    """
    provider = providers.get(payment.provider)
    if payment.status != PaymentStatus.PENDING:
        return None
    started = provider.start(payment)
    if started is None:
        return None
    if started.reference and payment.provider_reference != started.reference:
        if payment.provider_reference is not None:
            log.error("payment %s: the provider names it %s, we had %s", payment.id,
                      started.reference, payment.provider_reference)
            raise providers.ProviderUnavailable()
        payment.provider_reference = started.reference
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            raise providers.ProviderUnavailable() from None
    if started.event is not None:
        apply_event(provider, payment, started.event)
        return None
    return started.url


def payment_by_reference(provider: str, reference: str) -> Payment:
    payment = db.session.scalar(
        select(Payment).where(Payment.provider == provider, Payment.provider_reference == reference)
    )
    if payment is None:
        raise NotFound()
    return payment


def handle_webhook(provider_code: str, body: bytes, signature: str | None,
                   source: str | None = None) -> str:
    """Verify and apply one notification; commits. Returns "applied", "duplicate" or "ignored".

    `source` is the sender's address, checked by providers that publish where they send from.
    A notification is applied as its provider's API tells it (`Provider.confirm`), never as it
    claims: a forged "succeeded" for a payment still pending changes nothing. A success for a
    payment we no longer wait for (cancelled with its expired order, or failed earlier) is
    still money taken: it is recorded, and flagged for a refund when the order cannot take it.
    A second, distinct success for a payment already succeeded is "ignored".
    Raises providers.ForbiddenSource (403), providers.BadWebhook (bad signature or body, an
    unknown payment, a wrong amount: 400), providers.ProviderUnavailable (the provider could
    not confirm it: nothing changed, the provider should send it again).
    """
    provider = providers.get(provider_code)
    if not provider.accepts_from(source):
        raise providers.ForbiddenSource()
    claimed = provider.parse_webhook(body, signature)
    if claimed is None:
        return "ignored"  # an event we do not act on
    payment = db.session.scalar(
        select(Payment).where(
            Payment.provider == provider.code, Payment.provider_reference == claimed.reference
        )
    )
    if payment is None:
        raise providers.BadWebhook()
    db.session.rollback()  # no transaction held open while the provider is asked
    event = provider.confirm(claimed)
    if event is None:
        return "ignored"  # nothing has happened yet, whatever the notification said
    if event.reference != payment.provider_reference:
        raise providers.BadWebhook()
    return apply_event(provider, payment, event)


def apply_event(provider, payment: Payment, event) -> str:
    """Apply one confirmed event to the payment and its order; commits. "applied", "duplicate"
    (this event id is already stored) or "ignored" (nothing left for it to change).

    The one path for every outcome, however it reached us (notification, the return page,
    the payment page): its event id is stored with its effect, so it is applied once.
    Raises providers.BadWebhook when the amount or currency is not the payment's.
    """
    if event.kind != "refund.succeeded":
        try:
            amount = Decimal(event.amount)
        except InvalidOperation:
            raise providers.BadWebhook() from None
        if amount != payment.amount or event.currency != payment.currency:
            log.error("payment %s: the provider reports %s %s, we have %s %s", payment.id,
                      event.amount, event.currency, payment.amount, payment.currency)
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
    if event.kind == "refund.succeeded":
        return _refunded_at_provider(order, payment, event)
    return "ignored"


def _refunded_at_provider(order: Order, payment: Payment, event) -> str:
    """The provider gave money back. Our own refunds are recorded when made (the payment is
    refunded already); a late payment refunded in full at the provider (its dashboard) is
    recorded as refunded. Anything else is left for reconciliation to show staff."""
    if payment.status == PaymentStatus.NEEDS_REFUND and Decimal(event.amount) >= payment.amount:
        payment.status = PaymentStatus.REFUNDED
        record_late_refund(order, **_facts(payment))
        return "applied"
    if payment.status != PaymentStatus.REFUNDED:
        log.warning("payment %s (%s) refunded at the provider (%s %s) while we have it %s",
                    payment.id, payment.provider_reference, event.amount, event.currency,
                    payment.status)
    return "ignored"


def refresh_for_page(order: Order) -> str | None:
    """The order page the shopper comes back to asks the provider about the payment it waits
    for, instead of waiting for the notification (receives `signals.order_page_opened`).

    What the provider says is applied through `apply_event`, as a notification would be, so
    whichever of the two comes second changes nothing. The provider gets a short timeout
    (YOOKASSA_RETURN_TIMEOUT); when it is slow or down the page still renders, and says the
    payment is being confirmed. Returns "confirming", "declined" or None (nothing to say).
    """
    from flask import current_app

    if order.status != OrderStatus.NEW or order.payment_method == PaymentMethod.CASH.value:
        return None
    payment = next(
        (p for p in reversed(order.payments)
         if p.status == PaymentStatus.PENDING and p.provider_reference),
        None,
    )
    if payment is None:
        return None
    provider = providers.PROVIDERS.get(payment.provider)
    if provider is None or not provider.leaves_site or not provider.enabled():
        return None  # a provider switched off is not asked
    timeout = float(current_app.config.get("YOOKASSA_RETURN_TIMEOUT") or 2)
    reference = payment.provider_reference
    db.session.rollback()  # no transaction held open while the provider is asked
    try:
        event = provider.payment_event(reference, timeout=timeout)
        if event is None or event.reference != reference:
            return "confirming"
        apply_event(provider, payment, event)
    except (providers.ProviderUnavailable, providers.BadWebhook):
        db.session.rollback()
        return "confirming"
    return "declined" if event.kind == "payment.failed" else None


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

    The order becomes paid when it can, and the shopper is told by email; otherwise (cancelled,
    expired, already paid by another attempt) the payment waits for a refund and the timeline
    tells staff so.
    """
    if payment.kind == PaymentKind.EXTRA or payment.amount != order.total:
        # The difference an edit asked for, or an attempt made for a total an edit changed
        # since: the order takes it only while it waits for exactly that much.
        _record_extra_success(order, payment)
        return
    payment.status = PaymentStatus.SUCCEEDED
    try:
        mark_paid(order, **_facts(payment))
        # In the same transaction: one email however many deliveries race (only one pays).
        queue_order_email(order, "payment_received", locale=shopper_language(order))
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
    (orders asks before a prepaid order is marked paid or fulfilled). All of it: after an edit
    raised the total, not until the difference is paid too (shop.payments.edits)."""
    held = held_money(order, any_succeeded=True)
    return held is not None and held >= order.total


def held_money(order: Order, any_succeeded: bool = False):
    """What the shop keeps of `order`'s money: its succeeded payments less what edits gave
    back. `any_succeeded`: None instead of 0 when no payment succeeded at all."""
    payments = db.session.scalars(
        select(Payment).where(Payment.order_id == order.id,
                              Payment.status == PaymentStatus.SUCCEEDED)
    ).all()
    if any_succeeded and not payments:
        return None
    return sum((p.held for p in payments), Decimal("0"))


# Orders that may still take the difference an edit asked for.
TAKE_EXTRA = (OrderStatus.PAID.value, OrderStatus.PROCESSING.value)


def _record_extra_success(order: Order, payment: Payment) -> None:
    """Money for an edit's difference (or for a total an edit changed since): kept when the
    order still waits for that much, else awaiting a refund (no commit; rows locked)."""
    due = order.total - held_money(order)
    if (payment.kind == PaymentKind.EXTRA and order.status in TAKE_EXTRA
            and payment.status in (PaymentStatus.PENDING, PaymentStatus.FAILED)
            and payment.amount <= due):
        payment.status = PaymentStatus.SUCCEEDED
        record_extra_payment(order, **_facts(payment))
        queue_order_email(order, "order_changed.extra_paid", locale=shopper_language(order),
                          payment=payment)
        return
    log.warning("payment %s (%s) succeeded for order %s, which does not wait for it: to refund",
                payment.id, payment.amount, order.number)
    payment.status = PaymentStatus.NEEDS_REFUND
    record_late_payment(order, **_facts(payment))


def close_payments(order: Order, refund: bool) -> None:
    """On cancel or refund (no commit): pending attempts are cancelled, taken money refunded.

    Receives `shop.orders.signals.order_closed`, inside the transaction that moves the order.
    """
    for payment in order.payments:
        if payment.status == PaymentStatus.PENDING:
            payment.status = PaymentStatus.CANCELLED
        elif payment.status in (PaymentStatus.SUCCEEDED, PaymentStatus.NEEDS_REFUND):
            if payment.held > 0:  # edits may have given part of it back already
                providers.get(payment.provider).refund(
                    payment, amount=payment.held if payment.refunded_amount else None
                )
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
