"""Order status: one table of allowed moves and one `transition` service that makes them.

A move is a compare-and-set (`UPDATE ... WHERE status = <from>`), so two people (or two expiry
runs, or a webhook and a cancel button) acting on the same order at once cannot both win; the
loser gets InvalidTransition and nothing it did is kept. Every move writes an OrderEvent; a
cancellation returns the stock; the shopper is emailed (through the outbox, in a registered
shopper's saved language, a guest's in the order's) when an order is shipped (or, for pickup,
ready to collect) or cancelled.

A prepaid order (paid by card, or through any provider but cash on delivery) becomes paid, and
is prepared, shipped and delivered, only once its payment has succeeded: the table alone would let
staff ship an unpaid card order, which the expiry job then no longer cancels (it is not new).

Layers: `shop.payments` builds on this module. A payment outcome calls the public `mark_paid`,
`record_late_payment` and `record_late_refund`; this module never imports payments. What it
needs from there (close an order's payments on cancel or refund; "is its money in?") goes
through `shop.orders.signals`, to which payments subscribes when the app is built.

Every OrderEvent says what happened by its kind (EventKind) and carries the facts in `data`;
only staff's own words go into its `note`.
"""

import logging
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update

from shop.audit import services as audit
from shop.core.csvfiles import csv_bytes
from shop.core.errors import DomainError, NotFound, ValidationFailed
from shop.core.models import utcnow
from shop.core.urls import public_url_for
from shop.extensions import db
from shop.inventory.services import return_for_order
from shop.notifications.outbox import queue_email
from shop.orders import signals
from shop.orders.models import (
    EventKind,
    Order,
    OrderEvent,
    OrderStatus,
    PaymentMethod,
    payment_data,
)

log = logging.getLogger(__name__)

S = OrderStatus
TRANSITIONS: dict[OrderStatus, tuple[OrderStatus, ...]] = {
    S.NEW: (S.PAID, S.PROCESSING, S.CANCELLED),
    S.PAID: (S.PROCESSING, S.CANCELLED, S.REFUNDED),
    S.PROCESSING: (S.SHIPPED, S.CANCELLED, S.REFUNDED),
    S.SHIPPED: (S.DELIVERED, S.REFUNDED),
    S.DELIVERED: (S.REFUNDED,),
    S.CANCELLED: (),
    S.REFUNDED: (),
    # Left only by another refund by line (REFUND_MOVES): moving it to refunded by hand would
    # refund the whole payment again (shop.payments.services.close_payments).
    S.PARTLY_REFUNDED: (),
}
# The moves a refund by line makes (`record_refund`, called by shop.returns), never offered by
# hand: after the goods were handed over, some of them (or all) are given back.
REFUND_MOVES: dict[OrderStatus, tuple[OrderStatus, ...]] = {
    S.DELIVERED: (S.PARTLY_REFUNDED, S.REFUNDED),
    S.PARTLY_REFUNDED: (S.REFUNDED,),
}
# Cancelling these puts the goods back on the shelf (they never left the warehouse).
RETURNS_STOCK = {S.NEW, S.PAID, S.PROCESSING}
# The shopper may cancel until the parcel has left.
CUSTOMER_CANCELLABLE = {S.NEW, S.PAID, S.PROCESSING}
EMAILS = {S.SHIPPED: "order_shipped", S.CANCELLED: "order_cancelled"}
# An order collected by the shopper is not "on its way" once staff mark it shipped: it waits at
# the pickup point, and the email says where.
PICKUP_EMAILS = {S.SHIPPED: "order_ready_for_pickup"}
# Statuses that say the shop has a prepaid order's money (see `payment_blocks`).
NEEDS_PAYMENT = {S.PAID, S.PROCESSING, S.SHIPPED, S.DELIVERED, S.PARTLY_REFUNDED}


class InvalidTransition(DomainError):
    message = _l("The order cannot be moved to this status.")


class AwaitingPayment(InvalidTransition):
    """A prepaid order without a succeeded payment cannot be marked paid or fulfilled."""

    message = _l(
        "This order is paid in advance and its payment has not been received yet: "
        "it cannot be prepared or shipped until it is paid."
    )


PAID_BY_PAYMENT_ONLY = _l(
    "This order is paid in advance: it becomes paid when its payment succeeds, not by hand."
)


def is_prepaid(order: Order) -> bool:
    """True for an order paid before delivery: every method but cash on delivery."""
    return order.payment_method != PaymentMethod.CASH.value


def has_succeeded_payment(order: Order) -> bool:
    """True when the payments layer holds a succeeded payment for `order` (asked through
    `signals.payment_check`; no answer is a no)."""
    return any(answer for _receiver, answer in signals.payment_check.send(order))


def payment_blocks(order: Order, to_status) -> AwaitingPayment | None:
    """The error that refuses moving `order` to `to_status` for want of its money, or None.

    Cash-on-delivery orders are never held back: their money comes at the door.
    """
    to_status = OrderStatus(to_status)
    if to_status not in NEEDS_PAYMENT or not is_prepaid(order) or has_succeeded_payment(order):
        return None
    if to_status == S.PAID:
        return AwaitingPayment(PAID_BY_PAYMENT_ONLY)
    return AwaitingPayment()


def allowed_transitions(status) -> list[OrderStatus]:
    """The statuses an order in `status` may move to (empty for an unknown status)."""
    try:
        return list(TRANSITIONS[OrderStatus(status)])
    except ValueError:
        return []


def _apply(
    order: Order,
    to_status: OrderStatus,
    actor_id=None,
    note=None,
    kind: EventKind = EventKind.STATUS_CHANGED,
    data: dict | None = None,
    moves: dict | None = None,
) -> None:
    """Move `order` inside the caller's transaction (no commit), recording an event of `kind`.

    `moves`: the table of allowed moves (TRANSITIONS, or REFUND_MOVES for a refund by line).
    Raises InvalidTransition, or its AwaitingPayment (a prepaid order without its money).
    """
    from_status = OrderStatus(order.status)
    if to_status not in (TRANSITIONS if moves is None else moves).get(from_status, ()):
        raise InvalidTransition(from_status=from_status, to_status=to_status)
    blocked = payment_blocks(order, to_status)
    if blocked is not None:
        raise blocked
    values = {"status": to_status.value, "updated_at": utcnow()}
    if to_status == S.PAID:
        values["paid_at"] = utcnow()
    table = Order.__table__
    result = db.session.execute(
        update(table)
        .where(table.c.id == order.id, table.c.status == from_status.value)
        .values(**values),
        execution_options={"synchronize_session": False},
    )
    if result.rowcount != 1:
        # Someone else moved it first.
        raise InvalidTransition(from_status=from_status, to_status=to_status)
    db.session.expire(order, ["status", "paid_at", "updated_at"])
    db.session.add(
        OrderEvent(
            order_id=order.id,
            from_status=from_status.value,
            to_status=to_status.value,
            actor_id=actor_id,
            kind=kind.value,
            data=data,
            note=note,
        )
    )
    if to_status == S.CANCELLED and from_status in RETURNS_STOCK:
        return_for_order(order)
    if to_status in (S.CANCELLED, S.REFUNDED):
        # Pending payments are cancelled, taken money refunded (shop.payments subscribes), in
        # this transaction: after the order row, as lock_order_and_payment takes them.
        signals.order_closed.send(order, refund=to_status == S.REFUNDED)
    template = (PICKUP_EMAILS.get(to_status) if is_pickup(order) else None) or EMAILS.get(
        to_status
    )
    if template:
        queue_order_email(
            order, template, expired=kind == EventKind.EXPIRED, locale=shopper_language(order)
        )


def get_order(order_id) -> Order:
    """The order of this id; NotFound for an unknown or malformed id."""
    try:
        order = db.session.get(Order, int(order_id))
    except (TypeError, ValueError):
        order = None
    if order is None:
        raise NotFound(_l("Order not found."))
    return order


def transition(order_id, to_status, actor=None, note=None, also=None) -> Order:
    """Move an order to `to_status` if the table allows it; commits.

    `actor` is the staff user (or None for the system); `note` goes into the OrderEvent.
    `also(order, from_status)`: more writes of the same transaction (the back office's audit
    entry), so they land or fail together with the move.
    Raises NotFound (no such order), InvalidTransition (not allowed from the current status, or
    the order changed meanwhile), AwaitingPayment (a prepaid order not paid yet: to paid or
    along fulfilment). On error nothing is written.
    """
    return _transition(order_id, to_status, actor=actor, note=note, also=also)


def _transition(order_id, to_status, actor=None, note=None, also=None,
                kind: EventKind = EventKind.STATUS_CHANGED) -> Order:
    """`transition`, recording an event of `kind`."""
    try:
        to_status = OrderStatus(to_status)
    except ValueError:
        raise InvalidTransition() from None
    order = get_order(order_id)
    try:
        from_status = order.status
        _apply(order, to_status, actor_id=getattr(actor, "id", actor), note=note, kind=kind)
        if also is not None:
            also(order, from_status)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if to_status == S.DELIVERED:
        _announce_handover(order)
    return order


def _announce_handover(order: Order) -> None:
    """Tell the layers above that `order` was handed over (payments sends the settlement
    receipt), after the commit: the move stands whatever they do, and an error of theirs is
    logged, never raised (they record and retry their own failures)."""
    try:
        signals.order_handed_over.send(order)
    except Exception:
        log.exception("order %s: a receiver of order_handed_over failed", order.number)


def cancel_by_customer(order: Order, user_id=None) -> Order:
    """The shopper cancels an order not yet shipped; commits. Raises InvalidTransition."""
    if OrderStatus(order.status) not in CUSTOMER_CANCELLABLE:
        raise InvalidTransition(_l("This order can no longer be cancelled."))
    return _transition(order.id, S.CANCELLED, actor=user_id, kind=EventKind.CANCELLED_BY_CUSTOMER)


def expire_unpaid(now=None, limit=500) -> int:
    """Cancel prepaid orders (card, СБП) still unpaid after their deadline, returning stock;
    returns how many.

    Each order is its own transaction, and the compare-and-set in `_apply` means several runs at
    once (cron on two hosts) cancel each order once: a run that loses simply skips it.
    """
    now = now or utcnow()
    ids = db.session.scalars(
        select(Order.id)
        .where(
            Order.status == S.NEW.value,
            Order.payment_method != PaymentMethod.CASH.value,  # every prepaid method
            Order.expires_at.is_not(None),
            Order.expires_at < now,
        )
        .order_by(Order.id)
        .limit(limit)
    ).all()
    db.session.rollback()
    done = 0
    for order_id in ids:
        order = db.session.get(Order, order_id)
        try:
            _apply(order, S.CANCELLED, kind=EventKind.EXPIRED)
            db.session.commit()
            done += 1
        except InvalidTransition:
            db.session.rollback()
    return done


# What payments tell orders ---------------------------------------------------------------------
# Called by shop.payments inside its own transaction, with the order row locked (no commit here).


def mark_paid(order: Order, *, provider: str, amount, currency: str, reference) -> None:
    """The order's payment succeeded: the order becomes paid (no commit).

    Raises InvalidTransition when the order no longer takes the money (cancelled, expired, paid
    by another attempt): the caller then keeps the money for a refund (`record_late_payment`).
    """
    _apply(order, S.PAID, kind=EventKind.PAID,
           data=payment_data(provider, amount, currency, reference))


def record_late_payment(order: Order, *, provider: str, amount, currency: str,
                        reference) -> None:
    """Tell staff (in the order's timeline) that money came in for an order that no longer
    waits for it, to be refunded (no commit).

    The order keeps its status (from == to); the event carries the amount and the reference.
    """
    _note_in_timeline(
        order, EventKind.LATE_PAYMENT, data=payment_data(provider, amount, currency, reference)
    )


def _note_in_timeline(order: Order, kind: EventKind, actor=None, **fields) -> None:
    """An event that records something about the order without changing its status (from ==
    to): a late payment, its refund, a staff note (no commit)."""
    db.session.add(
        OrderEvent(
            order_id=order.id,
            from_status=order.status,
            to_status=order.status,
            actor_id=getattr(actor, "id", actor),
            kind=kind.value,
            **fields,
        )
    )


def record_late_refund(order: Order, *, actor=None, provider: str, amount, currency: str,
                       reference) -> None:
    """Record in the timeline that a late payment was given back, and by whom (no commit)."""
    _note_in_timeline(
        order,
        EventKind.LATE_PAYMENT_REFUNDED,
        actor,
        data=payment_data(provider, amount, currency, reference),
    )


def record_refund(order: Order, *, full: bool, actor=None, note=None, data=None) -> None:
    """A refund by line gave money back (no commit; called by shop.returns with the order row
    locked): the order becomes partly refunded, or refunded when nothing is left to refund,
    with an event REFUNDED_PART carrying `data` (amount, lines) and staff's reason in `note`.

    The caller marks a payment refunded in full before a full refund: the move to refunded
    closes the order's payments (`signals.order_closed`), and a succeeded one would be
    refunded whole. Raises InvalidTransition (the order was not delivered).
    """
    to_status = S.REFUNDED if full else S.PARTLY_REFUNDED
    if order.status == to_status:  # partly refunded once more
        _note_in_timeline(order, EventKind.REFUNDED_PART, actor, note=note, data=data)
        return
    _apply(order, to_status, actor_id=getattr(actor, "id", actor), note=note,
           kind=EventKind.REFUNDED_PART, data=data, moves=REFUND_MOVES)


def record_return_step(order: Order, kind: EventKind, actor=None, note=None,
                       data=None) -> None:
    """A step of a shopper's return request, in the order's timeline (no commit; shop.returns):
    the order keeps its status."""
    _note_in_timeline(order, kind, actor, note=note, data=data)


def delivered_at(order: Order):
    """When the order was last marked delivered (its timeline), or None."""
    moments = [e.created_at for e in order.events
               if e.to_status == S.DELIVERED and e.from_status != S.DELIVERED]
    return max(moments) if moments else None


def card_deadline():
    minutes = int(current_app.config.get("CARD_ORDER_TTL_MINUTES", 30))
    return utcnow() + timedelta(minutes=minutes)


# Guest links ---------------------------------------------------------------------------------


def _link_serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="order-link")


def guest_token(order: Order) -> str:
    """The signed part of a guest's link: the order number and its secret access token."""
    return _link_serializer().dumps([order.number, order.access_token])


def order_from_guest_token(token: str) -> Order:
    """The order a guest link points at. Raises NotFound for a forged or stale link."""
    import hmac

    try:
        number, access = _link_serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        raise NotFound(_l("Order not found.")) from None
    order = db.session.scalar(select(Order).where(Order.number == str(number)))
    if order is None or not hmac.compare_digest(order.access_token, str(access)):
        raise NotFound(_l("Order not found."))
    return order


def order_for_user(user_id: int, number: str) -> Order:
    """A user's own order by number; anyone else's is NotFound."""
    order = db.session.scalar(
        select(Order).where(Order.number == number, Order.user_id == user_id)
    )
    if order is None:
        raise NotFound(_l("Order not found."))
    return order


def orders_of(user_id: int) -> list[Order]:
    return list(
        db.session.scalars(
            select(Order).where(Order.user_id == user_id).order_by(Order.id.desc())
        )
    )


def is_pickup(order: Order) -> bool:
    """True for an order the shopper collects: placed with no address, by a method that needs
    none (a deleted method: the missing address says it was pickup)."""
    method = order.delivery_method
    return not order.shipping_address and (method is None or not method.needs_address)


def shopper_language(order: Order) -> str:
    """The language to write to the shopper in after checkout.

    A registered shopper's saved language ("Language for pages and emails" in the profile), which
    may differ from the visit's language the order was placed in; a guest has only the order's.
    """
    user = order.user if order.user_id is not None else None
    return (user.locale if user is not None else None) or order.locale


def queue_order_email(
    order: Order, template: str, expired: bool = False, locale: str | None = None, **context
) -> None:
    """Queue an email about `order` (committed with the caller's change).

    In `locale`, or the order's language: the confirmation, written while the shopper reads the
    shop in that language, keeps it; status emails pass `shopper_language(order)`. `context`:
    more for the template (a refund, a return).
    """
    # Built against PUBLIC_URL, never the request's host or prefix (shop.core.urls).
    if order.user_id is not None:
        link = public_url_for("orders.detail", number=order.number)
    else:
        link = public_url_for("orders.guest_view", token=guest_token(order))
    queue_email(
        order.email, template, locale or order.locale, order=order, link=link, expired=expired,
        **context,
    )


# The back office's writes -------------------------------------------------------------------

STAFF_NOTE_MAX = 4000


def save_staff_note(order_id, text, *, actor=None, ip=None) -> Order:
    """Replace the order's staff note (what staff keep in mind about it: "fragile", "call
    first"); an empty text removes it; commits.

    A new text is also written to the order's timeline, an OrderEvent of kind NOTE saying who
    wrote what and when, and every change to the audit log ("note"). Saving the same text again
    writes nothing. Raises NotFound (no such order) and ValidationFailed (longer than
    STAFF_NOTE_MAX characters, or holding a NUL character); nothing is written then.
    """
    text = (text or "").strip() or None
    if text is not None and len(text) > STAFF_NOTE_MAX:
        raise ValidationFailed(
            _l("The note is too long: at most %(num)d characters.", num=STAFF_NOTE_MAX)
        )
    if text is not None and "\x00" in text:
        raise ValidationFailed(_l("The note contains a character that is not allowed."))
    try:
        order = db.session.get(Order, int(order_id))
    except (TypeError, ValueError):
        order = None
    if order is None:
        raise NotFound(_l("Order not found."))
    if order.staff_note == text:
        return order
    try:
        audit.record(
            "note",
            "Order",
            order.id,
            before={"staff_note": order.staff_note},
            after={"staff_note": text},
            actor=actor,
            ip=ip,
        )
        order.staff_note = text
        if text is not None:
            _note_in_timeline(order, EventKind.NOTE, actor, note=text)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return order


def export_orders_csv(orders, *, actor=None, ip=None) -> bytes:
    """These orders (as the back office's list selected them: its filters and search) as CSV
    for a spreadsheet, headed in the reader's language; records the export in the audit log
    with the number of rows, and commits. Raises nothing of its own.

    The delivery method is the name written on the order at checkout, in the shopper's
    language, and the status and payment method are their codes: what accounting matches.
    """
    header = [
        _("Number"),
        _("Date"),
        _("Status"),
        _("Customer"),
        _("Email"),
        _("Phone"),
        _("Payment"),
        _("Delivery (as named on the order)"),
        _("Address"),
        _("Subtotal"),
        _("Delivery price"),
        _("Total"),
        _("Currency"),
    ]
    rows = [
        [
            o.number,
            o.created_at.isoformat(sep=" ", timespec="seconds"),
            o.status,
            o.customer_name,
            o.email,
            o.phone,
            o.payment_method,
            o.delivery_method_name,
            o.shipping_address,
            o.subtotal,
            o.delivery_price,
            o.total,
            o.currency,
        ]
        for o in orders
    ]
    body = csv_bytes(header, rows)
    try:
        audit.record("export", "Order", None, after={"rows": len(rows)}, actor=actor, ip=ip)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return body
