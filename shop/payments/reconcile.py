"""Reconciliation: do our payments agree with the providers, and with their orders?

A webhook can be lost, refused or (before issue 13) ignored, so what we recorded is checked
against what each provider says it did (`Provider.fetch_payment`), and against our own orders:

- money taken for an order that does not keep it (cancelled, expired, refunded, or paid twice)
  and not given back yet;
- prepaid orders marked paid, or being fulfilled, without a succeeded payment;
- payments still pending on an order in a final state (cancelled, refunded).

It only reads: each mismatch is reported for a person to settle (a refund in the back office,
a word with the provider). Cash on delivery has no provider record to compare with.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import contains_eager, selectinload

from shop.extensions import db
from shop.orders.models import Order, PaymentMethod
from shop.orders.services import NEEDS_PAYMENT, REFUND_MOVES, TRANSITIONS
from shop.payments import providers
from shop.payments.models import MONEY_TAKEN, Payment, PaymentStatus
from shop.payments.services import awaiting_refund

# Statuses an order never leaves by hand; a partly refunded order still keeps (some of) its
# money and may be refunded further (REFUND_MOVES), so it is not one of them.
FINAL = tuple(
    status.value
    for status, moves in TRANSITIONS.items()
    if not moves and not REFUND_MOVES.get(status)
)


@dataclass(frozen=True)
class Mismatch:
    order_number: str
    payment_id: int | None
    reference: str | None
    ours: str  # what we have: the payment's status, or the order's when there is no payment
    problem: str  # what the provider says, or what is wrong

    def line(self) -> str:
        subject = f"order {self.order_number}"
        if self.payment_id is not None:
            subject += f", payment {self.payment_id} ({self.reference or '-'})"
        return f"{subject}: we have {self.ours}; {self.problem}"


def reconcile(since: datetime | None = None) -> list[Mismatch]:
    """Every mismatch found; changes nothing.

    The local checks cover all orders; the providers are asked about payments created at or
    after `since` (all when None), since a real provider is one HTTP request per payment.
    """
    found = [*_awaiting_refund(), *_paid_without_payment(), *_pending_on_final_orders()]
    found += _provider_disagrees(since)
    db.session.rollback()  # nothing to keep; end the read transaction
    return found


def _with_orders(stmt):
    return db.session.scalars(
        stmt.join(Order, Order.id == Payment.order_id)
        .options(contains_eager(Payment.order))
        .order_by(Payment.id)
    ).all()


def _awaiting_refund() -> list[Mismatch]:
    return [
        Mismatch(
            p.order.number,
            p.id,
            p.provider_reference,
            p.status,
            f"the money was taken for an order that is {p.order.status}"
            " and has not been refunded: refund it",
        )
        for p in _with_orders(select(Payment).where(awaiting_refund()))
    ]


def _paid_without_payment() -> list[Mismatch]:
    succeeded = exists().where(
        Payment.order_id == Order.id, Payment.status == PaymentStatus.SUCCEEDED
    )
    orders = db.session.scalars(
        select(Order)
        .where(
            Order.payment_method != PaymentMethod.CASH.value,
            Order.status.in_([s.value for s in NEEDS_PAYMENT]),
            ~succeeded,
        )
        .order_by(Order.id)
    ).all()
    return [
        Mismatch(
            order.number,
            None,
            None,
            f"order {order.status}",
            f"the order is paid by {order.payment_method} and has no succeeded payment",
        )
        for order in orders
    ]


def _pending_on_final_orders() -> list[Mismatch]:
    pending = select(Payment).where(
        Payment.status == PaymentStatus.PENDING, Order.status.in_(FINAL)
    )
    return [
        Mismatch(
            p.order.number,
            p.id,
            p.provider_reference,
            p.status,
            f"the order is {p.order.status}: the payment should have been cancelled",
        )
        for p in _with_orders(pending)
    ]


def _provider_disagrees(since: datetime | None) -> list[Mismatch]:
    stmt = select(Payment).options(selectinload(Payment.events))
    if since is not None:
        stmt = stmt.where(Payment.created_at >= since)
    found = []
    for payment in _with_orders(stmt):
        provider = providers.PROVIDERS.get(payment.provider)
        if provider is None:
            found.append(_mismatch(payment, "no such payment provider is configured"))
            continue
        try:
            remote = provider.fetch_payment(payment)
        except providers.ProviderUnavailable as exc:
            found.append(_mismatch(payment, f"could not ask the provider: {exc}"))
            continue
        if remote is None:
            continue
        problem = compare(payment, remote)
        if problem:
            found.append(_mismatch(payment, problem))
    return found


def _mismatch(payment: Payment, problem: str) -> Mismatch:
    return Mismatch(
        payment.order.number, payment.id, payment.provider_reference, payment.status, problem
    )


def compare(payment: Payment, remote: providers.RemotePayment) -> str | None:
    """What is wrong between our payment and the provider's record of it, or None.

    Only money matters: "pending" against "failed" or "cancelled" is the same (nothing taken).
    """
    ours_taken = payment.status in MONEY_TAKEN
    theirs_taken = remote.status in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED)
    theirs_refunded = True if remote.status == PaymentStatus.REFUNDED else remote.refunded
    says = f"the provider says {remote.status}"
    if theirs_taken and not ours_taken:
        return f"{says}: the money was taken and we have not recorded it"
    if ours_taken and not theirs_taken:
        return f"{says}: no money was taken"
    if ours_taken:
        if payment.status == PaymentStatus.REFUNDED and theirs_refunded is False:
            return f"{says} and shows no refund"
        if payment.status != PaymentStatus.REFUNDED and theirs_refunded:
            return "the provider shows it refunded"
    if remote.amount is not None and (
        remote.amount != payment.amount
        or (remote.currency is not None and remote.currency != payment.currency)
    ):
        return (
            f"the provider says {remote.amount} {remote.currency or payment.currency},"
            f" we have {payment.amount} {payment.currency}"
        )
    return None
