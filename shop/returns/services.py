"""Refunds by line and shoppers' returns.

A refund by line (`refund_lines`) gives back chosen units of an order's lines and/or its
delivery, through the provider that took the money: YooKassa is asked to refund the amount
made of those parts (its refund receipt is built from them), the test gateway needs no call,
and a cash-on-delivery order's refund is recorded as a manual one (staff hand the money back).

Transactions, and why: the provider is slow and may not answer. So a refund is made in three
steps: (1) under the order's row lock, the quantities are checked against what is not yet
refunded and a "pending" Refund takes them, committed (the lock is released); (2) the
provider is called with no transaction holding a lock, under the refund's own idempotence key;
(3) under the lock again, the refund becomes "succeeded" with its effects (the order's status
and timeline, the payment refunded in full, the stock when the goods came back, the return,
the shopper's email), or "failed" when the provider said no. When the answer is lost (network,
timeout, 5xx) the refund stays pending and staff retry it: the same key never refunds twice.
A pending refund blocks other refunds of the order until it is settled, so a refund never
rests on quantities another one may still take.

A return (`request_return`) is asked by the shopper within SHOP_RETURN_DAYS of delivery, one
open return per order; staff approve or reject it, mark the goods received (stock back on the
shelf) and refund it through `refund_lines`. The shopper is emailed at each step in their
language, staff on a new request.

Layers: returns builds on orders, payments and inventory; none of them imports it.
"""

import logging
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shop.accounts.models import Role, User
from shop.audit import reading as audit_reading
from shop.audit import services as audit
from shop.core.errors import DomainError, NotFound, ValidationFailed
from shop.core.i18n import DEFAULT_LANGUAGE
from shop.core.models import utcnow
from shop.core.urls import public_url_for
from shop.extensions import db
from shop.inventory.models import StockReason
from shop.inventory.services import put_back
from shop.notifications.outbox import queue_email
from shop.orders.models import EventKind, Order, OrderStatus, PaymentMethod
from shop.orders.services import (
    InvalidTransition,
    delivered_at,
    queue_order_email,
    record_refund,
    record_return_step,
    shopper_language,
)
from shop.payments import providers
from shop.payments.base import RefundPart
from shop.payments.models import Payment, PaymentStatus
from shop.returns.models import (
    MANUAL,
    OPEN_RETURNS,
    RETURN_REASONS,
    RETURN_STATUS_LABELS,
    TAKEN,
    Refund,
    RefundLine,
    RefundStatus,
    ReturnLine,
    ReturnRequest,
    ReturnStatus,
)

log = logging.getLogger(__name__)
# The audit log shows a return's steps by their names.
audit_reading.MODEL_VALUE_LABELS["ReturnRequest", "status"] = RETURN_STATUS_LABELS

# An order whose goods were handed over: its lines may be refunded and returned.
REFUNDABLE = (OrderStatus.DELIVERED.value, OrderStatus.PARTLY_REFUNDED.value)
REASON_MAX = 1000
COMMENT_MAX = 2000
MAX_UNITS = 100_000


class RefundRefused(DomainError):
    message = _l("This refund cannot be made.")


class NotRefundable(RefundRefused):
    message = _l("Only a delivered order can be refunded by line.")


class RefundInProgress(RefundRefused):
    message = _l(
        "Another refund of this order is still waiting for the payment provider's answer: "
        "retry it first."
    )


class NoPaymentToRefund(RefundRefused):
    message = _l("This order has no received payment to refund.")


class RefundFailed(DomainError):
    message = _l("The payment provider refused the refund: nothing was refunded.")


class RefundPending(DomainError):
    message = _l(
        "The payment provider did not answer. The refund is pending: retry it from the order "
        "page (it will not be made twice)."
    )


class ReturnRefused(DomainError):
    message = _l("This return cannot be accepted.")


class ReturnWindowClosed(ReturnRefused):
    message = _l("The return period for this order has ended.")


class ReturnStepRefused(DomainError):
    message = _l("This return has already moved on: reload the page.")


# What is left to give back -------------------------------------------------------------------


def _taken(order_id: int) -> dict:
    """{order line id or None (the delivery): (units, amount)} of refunds done or pending."""
    rows = db.session.execute(
        select(RefundLine.order_line_id, RefundLine.quantity, RefundLine.amount)
        .join(Refund, Refund.id == RefundLine.refund_id)
        .where(Refund.order_id == order_id, Refund.status.in_(TAKEN))
    ).all()
    taken = {}
    for line_id, quantity, amount in rows:
        units, money = taken.get(line_id, (0, Decimal("0")))
        taken[line_id] = (units + quantity, money + amount)
    return taken


def refundable(order: Order) -> dict:
    """{order line id: units not yet refunded}, and None: 1 while a paid delivery is not."""
    taken = _taken(order.id)
    left = {line.id: line.quantity - taken.get(line.id, (0,))[0] for line in order.lines}
    left[None] = 1 if order.delivery_price > 0 and None not in taken else 0
    return left


def refunds_of(order: Order) -> list[Refund]:
    return list(
        db.session.scalars(select(Refund).where(Refund.order_id == order.id).order_by(Refund.id))
    )


def _clean_parts(parts) -> dict:
    """{line id or None: units > 0} from a dict or pairs; ValidationFailed for nonsense."""
    try:
        items = dict(parts or {}).items()
    except (TypeError, ValueError):
        raise ValidationFailed(_l("Choose what to refund.")) from None
    cleaned = {}
    for line_id, quantity in items:
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise ValidationFailed(_l("Quantities must be whole numbers."))
        if line_id is not None and (isinstance(line_id, bool) or not isinstance(line_id, int)):
            raise ValidationFailed(_l("This item is not in the order."))
        if quantity < 0 or quantity > MAX_UNITS:
            raise ValidationFailed(_l("Quantities must be whole numbers."))
        if quantity:
            cleaned[line_id] = quantity
    if not cleaned:
        raise ValidationFailed(_l("Choose at least one line or the delivery to refund."))
    return cleaned


def _text(value, limit: int, required_message=None) -> str | None:
    text = (value or "").strip() or None
    if text is None and required_message is not None:
        raise ValidationFailed(required_message)
    if text is not None and (len(text) > limit or "\x00" in text):
        raise ValidationFailed(
            _l("The text is too long or holds a character that is not allowed.")
        )
    return text


def _get(model, pk):
    """The row of `model` with this id; NotFound for none, or for an id that is no number."""
    try:
        row = db.session.get(model, int(pk))
    except (TypeError, ValueError):
        row = None
    if row is None:
        raise NotFound()
    return row


def _lock_order(order_id) -> Order:
    """The order row, locked (SELECT ... FOR UPDATE) and read again; NotFound without it."""
    try:
        order_id = int(order_id)
    except (TypeError, ValueError):
        raise NotFound(_l("Order not found.")) from None
    order = db.session.scalar(
        select(Order)
        .where(Order.id == order_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if order is None:
        raise NotFound(_l("Order not found."))
    return order


# Refunds by line -----------------------------------------------------------------------------


def refund_lines(order_id, parts, reason, actor=None, restock: bool = False,
                 return_id=None, ip=None) -> Refund:
    """Give back `parts` of an order: {order line id: units, None: 1 for the delivery}; commits.

    The amount comes from the lines as sold (the unit price; the last units of a line take
    what is left of its total). `restock`: the goods came back, put them on the shelf when the
    refund succeeds. Staff's refund (`actor`, from `ip`) is written to the audit log. Returns
    the refund, succeeded.
    Raises NotFound, ValidationFailed (no reason, nonsense quantities, a line of another order,
    more units than are left to refund, the delivery twice), NotRefundable (not delivered),
    RefundInProgress (another refund waits for the provider), NoPaymentToRefund, RefundFailed
    (the provider said no: recorded as failed, nothing refunded), RefundPending (no answer:
    the refund stays pending for `retry_refund`). Nothing else is written on error.
    """
    reason = _text(reason, REASON_MAX, _l("Write the reason for the refund."))
    wanted = _clean_parts(parts)
    try:
        order = _lock_order(order_id)
        refund = _open_refund(order, wanted, reason, actor, restock, return_id)
        if actor is not None:
            audit.record("refund", "Order", order.id, actor=actor, ip=ip, after={
                "refund": refund.id, "amount": str(refund.amount), "reason": reason,
                "lines": {str(k if k is not None else "delivery"): v for k, v in wanted.items()},
            })
        if refund.method == MANUAL:
            _complete(order, refund)
            db.session.commit()
            return refund
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return _send(refund.id)


def _open_refund(order: Order, wanted: dict, reason, actor, restock, return_id) -> Refund:
    """Check `wanted` against what is left and add the pending Refund (no commit)."""
    if order.status not in REFUNDABLE:
        raise NotRefundable()
    if db.session.scalar(
        select(Refund.id).where(
            Refund.order_id == order.id, Refund.status == RefundStatus.PENDING
        ).limit(1)
    ) is not None:
        raise RefundInProgress()
    lines = {line.id: line for line in order.lines}
    taken = _taken(order.id)
    refund_lines_ = []
    for line_id, quantity in sorted(wanted.items(), key=lambda item: (item[0] is None, item[0])):
        units, money = taken.get(line_id, (0, Decimal("0")))
        if line_id is None:
            if order.delivery_price <= 0 or units or quantity != 1:
                raise ValidationFailed(_l("The delivery cannot be refunded (again)."))
            amount = order.delivery_price
        else:
            line = lines.get(line_id)
            if line is None:
                raise ValidationFailed(_l("This item is not in the order."))
            left = line.quantity - units
            if quantity > left:
                raise ValidationFailed(
                    _l("%(sku)s: at most %(num)d can be refunded.", sku=line.sku, num=left)
                )
            amount = line.line_total - money if quantity == left else line.unit_price * quantity
        refund_lines_.append(RefundLine(order_line_id=line_id, quantity=quantity, amount=amount))
    payment, method = None, MANUAL
    if order.payment_method != PaymentMethod.CASH.value:
        payment = db.session.scalar(
            select(Payment)
            .where(Payment.order_id == order.id, Payment.status == PaymentStatus.SUCCEEDED)
            .order_by(Payment.id.desc())
            .limit(1)
        )
        if payment is None:
            raise NoPaymentToRefund()
        method = payment.provider
    refund = Refund(
        order_id=order.id,
        payment_id=payment.id if payment is not None else None,
        return_id=return_id,
        method=method,
        amount=sum((part.amount for part in refund_lines_), Decimal("0")),
        currency=order.currency,
        status=RefundStatus.PENDING,
        reason=reason,
        restock=bool(restock),
        actor_id=getattr(actor, "id", actor),
        lines=refund_lines_,
    )
    db.session.add(refund)
    db.session.flush()
    # The order's number keeps keys apart across databases that count ids alike (a test shop
    # shared by staging and development).
    refund.idempotency_key = f"refund-{order.number}-{refund.id}"[:64]
    return refund


def retry_refund(refund_id, actor=None) -> Refund:
    """Ask the provider again for a refund left pending (its answer was lost); commits.

    The same idempotence key: a refund the provider made already is answered, not made again.
    Raises NotFound, RefundRefused (not pending), RefundFailed, RefundPending.
    """
    refund = _get(Refund, refund_id)
    if refund.status != RefundStatus.PENDING:
        raise RefundRefused(_l("This refund is not waiting for the payment provider."))
    return _send(refund.id)


def _send(refund_id: int) -> Refund:
    """Step 2 and 3: the provider asked with no lock held, then the outcome recorded."""
    refund = db.session.get(Refund, refund_id)
    provider = providers.get(refund.method)
    parts = [RefundPart(line.order_line_id, line.quantity, line.amount) for line in refund.lines]
    try:
        provider.refund(refund.payment, amount=refund.amount, parts=parts,
                        key=refund.idempotency_key)
    except providers.ProviderRefused:
        db.session.rollback()
        _settle(refund_id, failed=True)
        raise RefundFailed() from None
    except providers.ProviderUnavailable:
        db.session.rollback()
        log.warning("refund %s: no answer from %s, left pending", refund_id, refund.method)
        raise RefundPending() from None
    db.session.rollback()  # end the read transaction the provider's lazy reads opened
    return _settle(refund_id, failed=False)


def _settle(refund_id: int, failed: bool) -> Refund:
    """Record the provider's answer under the order's lock; commits. A refund another retry
    settled meanwhile is left as it is."""
    try:
        refund = db.session.get(Refund, refund_id)
        order = _lock_order(refund.order_id)
        db.session.refresh(refund, with_for_update=True)
        if refund.status == RefundStatus.PENDING:
            if failed:
                refund.status = RefundStatus.FAILED
                refund.error = "refused by the payment provider"
            else:
                _complete(order, refund)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return refund


def _complete(order: Order, refund: Refund) -> None:
    """The money is back: the refund succeeded, and its effects follow (no commit)."""
    refund.status = RefundStatus.SUCCEEDED
    refund.error = None
    left = refundable(order)
    full = not any(left.values())
    if full and refund.payment is not None:
        # Before the order moves to refunded: closing its payments would refund a succeeded
        # one whole (shop.payments.services.close_payments).
        refund.payment.status = PaymentStatus.REFUNDED
    lines = {line.id: line for line in order.lines}
    data = {
        "refund_id": refund.id,
        "amount": str(refund.amount),
        "currency": refund.currency,
        "lines": [
            {"line_id": part.order_line_id, "sku": lines[part.order_line_id].sku,
             "quantity": part.quantity, "amount": str(part.amount)}
            for part in refund.lines if part.order_line_id is not None
        ],
        "delivery": any(part.order_line_id is None for part in refund.lines),
    }
    try:
        record_refund(order, full=full, actor=refund.actor_id, note=refund.reason, data=data)
    except InvalidTransition:
        # The order was moved meanwhile (refunded whole by hand while this refund waited for
        # the provider): the money went back all the same, so the refund is kept and logged.
        log.error("refund %s of order %s settled with the order %s", refund.id, order.number,
                  order.status)
    if refund.restock:
        _put_back(order, {p.order_line_id: p.quantity for p in refund.lines}, refund.actor_id)
    if refund.return_request is not None:
        refund.return_request.status = ReturnStatus.REFUNDED
    queue_order_email(order, "refund_made", locale=shopper_language(order), refund=refund)


def _put_back(order: Order, quantities: dict, actor_id) -> None:
    """Goods of these order lines ({line id: units}) back on the shelf (no commit)."""
    by_variant = {}
    for line in order.lines:
        units = quantities.get(line.id)
        if units and line.variant_id is not None:
            by_variant[line.variant_id] = by_variant.get(line.variant_id, 0) + units
    if by_variant:
        put_back(by_variant, order.id, StockReason.RETURN, actor_id=actor_id)


# Returns ------------------------------------------------------------------------------------


def return_deadline(order: Order) -> datetime | None:
    """The moment (naive UTC) the return period ends, or None before delivery.

    SHOP_RETURN_DAYS days after the day of delivery, that day not counted, to the end of the
    last day in the shop's time zone: delivered on the 1st, the 8th is the last day.
    """
    delivered = delivered_at(order)
    if delivered is None:
        return None
    days = int(current_app.config.get("RETURN_DAYS", 7))
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Europe/Moscow")
    local_day = delivered.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone).date()
    end = datetime.combine(local_day + timedelta(days=days + 1), time.min, tzinfo=zone)
    return end.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def returns_of(order: Order) -> list[ReturnRequest]:
    return list(
        db.session.scalars(
            select(ReturnRequest)
            .where(ReturnRequest.order_id == order.id)
            .order_by(ReturnRequest.id)
        )
    )


def returnable(order: Order) -> dict[int, int]:
    """{order line id: units the shopper may still ask to return}."""
    left = refundable(order)
    return {line.id: left[line.id] for line in order.lines}


def can_request_return(order: Order, now=None) -> bool:
    """Whether the order page offers "Return items": delivered, in time, nothing open, and
    something left to return."""
    if order.status not in REFUNDABLE:
        return False
    deadline = return_deadline(order)
    if deadline is None or (now or utcnow()) >= deadline:
        return False
    if any(r.status in OPEN_RETURNS for r in returns_of(order)):
        return False
    return any(returnable(order).values())


def request_return(order_id, quantities, reason, comment=None, user_id=None,
                   now=None) -> ReturnRequest:
    """The shopper asks to return `quantities` ({order line id: units}) of a delivered order,
    for `reason` (a RETURN_REASONS code) and in their own words; commits.

    The shopper gets a confirmation and staff a notice (outbox). Raises NotFound,
    ValidationFailed (an unknown reason, a line not in the order, nonsense or too many units,
    nothing chosen, a comment too long), ReturnRefused (not delivered, or a return of this
    order is open), ReturnWindowClosed (SHOP_RETURN_DAYS have passed). On error nothing is
    written.
    """
    if reason not in RETURN_REASONS:
        raise ValidationFailed(_l("Choose a reason for the return."))
    comment = _text(comment, COMMENT_MAX)
    try:
        wanted = _clean_parts(quantities)
    except ValidationFailed:
        raise ValidationFailed(_l("Choose at least one item to return.")) from None
    if None in wanted:
        raise ValidationFailed(_l("This item is not in the order."))
    try:
        order = _lock_order(order_id)
        if order.status not in REFUNDABLE:
            raise ReturnRefused()
        deadline = return_deadline(order)
        if deadline is None or (now or utcnow()) >= deadline:
            raise ReturnWindowClosed()
        if any(r.status in OPEN_RETURNS for r in returns_of(order)):
            raise ReturnRefused(_l("A return of this order is already being dealt with."))
        left = returnable(order)
        lines = {line.id: line for line in order.lines}
        for line_id, units in wanted.items():
            if line_id not in lines:
                raise ValidationFailed(_l("This item is not in the order."))
            if units > left[line_id]:
                raise ValidationFailed(
                    _l("%(name)s: at most %(num)d can be returned.",
                       name=lines[line_id].name, num=left[line_id])
                )
        request = ReturnRequest(
            order_id=order.id,
            status=ReturnStatus.REQUESTED,
            reason=reason,
            comment=comment,
            lines=[ReturnLine(order_line_id=k, quantity=v) for k, v in sorted(wanted.items())],
        )
        db.session.add(request)
        db.session.flush()
        record_return_step(order, EventKind.RETURN_REQUESTED, user_id, note=comment,
                           data={"return_id": request.id})
        queue_order_email(order, "return_requested", locale=shopper_language(order),
                          request=request)
        _notify_staff(order, request)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return request


def staff_recipients() -> list[tuple[str, str]]:
    """(address, language) of staff told about new returns: SHOP_STAFF_EMAIL when set (in the
    shop's default language), else every active manager and admin in their own."""
    configured = (current_app.config.get("STAFF_EMAIL") or "").strip()
    if configured:
        return [(configured, DEFAULT_LANGUAGE)]
    users = db.session.scalars(
        select(User)
        .where(User.active.is_(True), User.roles.any(Role.name.in_(("admin", "manager"))))
        .order_by(User.id)
    )
    return [(user.email, user.locale or DEFAULT_LANGUAGE) for user in users]


def _notify_staff(order: Order, request: ReturnRequest) -> None:
    # Built against SHOP_PUBLIC_URL (shop.core.urls), as the shopper's order mail.
    link = public_url_for("admin_returns.details_view", id=request.id)
    for address, language in staff_recipients():
        queue_email(address, "return_staff_new", language, order=order, request=request,
                    link=link)


def _lock_return(return_id) -> tuple[Order, ReturnRequest]:
    request = _get(ReturnRequest, return_id)
    order = _lock_order(request.order_id)
    db.session.refresh(request, with_for_update=True)
    return order, request


def _step(return_id, expected, action, actor=None, ip=None) -> ReturnRequest:
    """Run `action(order, request)` on a return in one of the `expected` statuses, with an
    audit entry for staff's step; commits."""
    try:
        order, request = _lock_return(return_id)
        if request.status not in expected:
            raise ReturnStepRefused()
        before = request.status
        action(order, request)
        if actor is not None:
            audit.record("status", "ReturnRequest", request.id, actor=actor, ip=ip,
                         before={"status": before},
                         after={"status": request.status, "note": request.staff_comment})
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return request


def approve_return(return_id, actor=None, comment=None, ip=None) -> ReturnRequest:
    """Staff accept a requested return (the shopper is emailed how to send the goods);
    commits. Raises NotFound, ValidationFailed (comment too long), ReturnStepRefused."""
    comment = _text(comment, COMMENT_MAX)

    def approve(order, request):
        request.status = ReturnStatus.APPROVED
        request.staff_comment = comment
        request.decided_at = utcnow()
        record_return_step(order, EventKind.RETURN_APPROVED, actor, note=comment,
                           data={"return_id": request.id})
        queue_order_email(order, "return_approved", locale=shopper_language(order),
                          request=request)

    return _step(return_id, (ReturnStatus.REQUESTED,), approve, actor, ip)


def reject_return(return_id, actor=None, comment=None, ip=None) -> ReturnRequest:
    """Staff refuse a requested return, saying why (emailed to the shopper); commits.
    Raises NotFound, ValidationFailed (no comment, or too long), ReturnStepRefused."""
    comment = _text(comment, COMMENT_MAX, _l("Say why the return is rejected."))

    def reject(order, request):
        request.status = ReturnStatus.REJECTED
        request.staff_comment = comment
        request.decided_at = utcnow()
        record_return_step(order, EventKind.RETURN_REJECTED, actor, note=comment,
                           data={"return_id": request.id})
        queue_order_email(order, "return_rejected", locale=shopper_language(order),
                          request=request)

    return _step(return_id, (ReturnStatus.REQUESTED,), reject, actor, ip)


def mark_received(return_id, actor=None, ip=None) -> ReturnRequest:
    """The returned goods arrived: they go back on the shelf (stock ledger, reason "return");
    commits. Raises NotFound, ReturnStepRefused (not approved)."""

    def receive(order, request):
        request.status = ReturnStatus.RECEIVED
        request.received_at = utcnow()
        _put_back(order, {line.order_line_id: line.quantity for line in request.lines},
                  getattr(actor, "id", actor))
        record_return_step(order, EventKind.RETURN_RECEIVED, actor,
                           data={"return_id": request.id})

    return _step(return_id, (ReturnStatus.APPROVED,), receive, actor, ip)


def refund_return(return_id, actor=None, ip=None) -> Refund:
    """Refund the goods of a received return (its lines; the stock is back already) through
    `refund_lines`; the return becomes refunded with it and the shopper is emailed. Raises
    NotFound, ReturnStepRefused (not received), and what `refund_lines` raises."""
    request = _get(ReturnRequest, return_id)
    if request.status != ReturnStatus.RECEIVED:
        raise ReturnStepRefused()
    with force_locale(DEFAULT_LANGUAGE):  # staff's record, in the shop's language
        reason = _("Return #%(id)d: %(reason)s", id=request.id,
                   reason=request.reason_label)
    parts = {line.order_line_id: line.quantity for line in request.lines}
    return refund_lines(request.order_id, parts, reason, actor=actor, restock=False,
                        return_id=request.id, ip=ip)
