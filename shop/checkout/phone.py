"""Phone orders: staff place an order for a customer on the telephone.

The order goes through the storefront's own `place_order` (the same prices from the database,
the same guarded stock updates, VAT per line, payment attempt and confirmation email): the
lines staff enter are put into a cart of their own, which `place_order` turns into the order
and empties, in its one transaction. A failure leaves nothing behind, the cart included.

Who the order is for:

* a registered customer found by staff: the order is theirs (it appears under "My orders");
* anyone else: a guest order with the contact details given. No account is opened on the
  customer's behalf: an account is something a person opens with a password of their own
  choosing (and a consent of their own to keep their data), while an order needs only the
  details to deliver it (152-FZ allows processing them to perform the contract). A guest
  reaches the order, and pays it, through its signed link, as after a storefront checkout.

After the order is placed (its own transaction, so a mail or timeline hiccup never undoes a
placed order) the order's first event is marked as a phone order taken by the staff member,
a prepaid order gets longer to be paid (the customer pays from an email, not at the screen),
and the customer is emailed a payment link.
"""

import logging
import secrets
from dataclasses import dataclass, replace
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from shop.accounts.models import User
from shop.audit import services as audit
from shop.cart.models import Cart, CartLine
from shop.cart.services import MAX_LINE_QUANTITY, InvalidQuantity, parse_quantity
from shop.catalog.models import Product, ProductVariant
from shop.checkout.services import Details, existing_order, place_order
from shop.core.errors import NotFound, ValidationFailed
from shop.core.models import utcnow
from shop.core.urls import public_url_for
from shop.extensions import db
from shop.legal import services as legal
from shop.orders.models import EventKind, Order, OrderEvent, OrderStatus
from shop.orders.services import guest_token, is_prepaid, queue_order_email

log = logging.getLogger(__name__)

SOURCE_PHONE = "phone"
MAX_LINES = 50
# How long a phone order paid in advance waits for its payment before it is cancelled and its
# goods go back on sale (the storefront's 30 minutes suit a shopper at the screen, not an email).
DEFAULT_PAYMENT_HOURS = 24


class UnknownSku(ValidationFailed):
    """A line names a SKU the catalogue does not sell; `details["sku"]` is the SKU typed."""

    message = _l("There is no product on sale with this SKU.")


class NoLines(ValidationFailed):
    message = _l("Add at least one line to the order.")


@dataclass
class PhoneLine:
    sku: str
    quantity: int


def parse_lines(skus, quantities) -> list[PhoneLine]:
    """Lines out of the form's parallel lists of SKUs and quantities: rows left empty are
    skipped, the same SKU twice is summed. Raises NoLines, InvalidQuantity (not a whole number
    from 1 to 99, or a SKU without a quantity), ValidationFailed (too many lines)."""
    skus, quantities = list(skus or []), list(quantities or [])
    quantities += [""] * (len(skus) - len(quantities))
    found: dict[str, PhoneLine] = {}
    for raw_sku, raw_quantity in zip(skus, quantities, strict=False):
        sku = " ".join(str(raw_sku or "").split())[:64]
        if not sku:
            if str(raw_quantity or "").strip() not in ("", "1"):
                raise ValidationFailed(_l("A line has a quantity but no SKU."))
            continue
        quantity = parse_quantity(raw_quantity)
        key = sku.upper()
        if key in found:
            found[key].quantity += quantity
            if found[key].quantity > MAX_LINE_QUANTITY:
                raise InvalidQuantity()
        else:
            found[key] = PhoneLine(sku, quantity)
    if not found:
        raise NoLines()
    if len(found) > MAX_LINES:
        raise ValidationFailed(_l("An order can have at most %(num)d lines.", num=MAX_LINES))
    return list(found.values())


def _variants_by_sku(lines: list[PhoneLine]) -> dict[str, ProductVariant]:
    """The variants on sale for these lines' SKUs, by SKU in upper case (SKUs are Latin letters
    and digits; staff may type them in any case). Raises UnknownSku."""
    wanted = {line.sku.upper() for line in lines}
    rows = db.session.scalars(
        select(ProductVariant)
        .join(Product, Product.id == ProductVariant.product_id)
        .where(func.upper(ProductVariant.sku).in_(wanted))
        .where(ProductVariant.active.is_(True), Product.active.is_(True))
    ).all()
    by_key = {variant.sku.upper(): variant for variant in rows}
    for line in lines:
        if line.sku.upper() not in by_key:
            raise UnknownSku(_l("There is no product on sale with the SKU %(sku)s.",
                                sku=line.sku), sku=line.sku)
    return by_key


def customer(user_id) -> User:
    """A shopper's account to take an order for. Raises NotFound (unknown, staff, inactive)."""
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or user.is_staff or not user.active:
        raise NotFound(_l("Customer not found."))
    return user


def new_form_key() -> str:
    """The one-time key of a phone order form: a resubmitted form finds its order placed."""
    return "phone-" + secrets.token_urlsafe(24)


def place_phone_order(lines: list[PhoneLine], details: Details, *, staff, form_key: str,
                      customer_id=None, locale="ru", consent_given=False, ip=None) -> Order:
    """Place an order taken on the phone by `staff`; commits. Returns the order (the one
    already placed when the same form is submitted again).

    `customer_id`: a registered customer's account (the order is theirs, emailed at the
    account's address whatever `details.email` says), or None for a guest order.
    `consent_given`: the customer accepted the current public offer and the personal data
    policy on the phone, recorded as the storefront records a ticked box (with the staff
    member in place of a browser). Raises NoLines, UnknownSku, InvalidQuantity, NotFound
    (customer, delivery method), and what `place_order` raises: OutOfStock
    (`details["lines"]` names the short lines), ValidationFailed (no address for a method
    that needs one, a payment method not offered, an expired form, no consent),
    DocumentsChanged. On any error nothing is written.
    """
    if not form_key or not form_key.startswith("phone-") or len(form_key) > 64:
        raise ValidationFailed(_l("This form has expired. Please review your order again."))
    already = existing_order(form_key)
    if already is not None:
        return already
    user = customer(customer_id) if customer_id is not None else None
    if user is not None:
        # The account's own address: the order shows under the account, and its emails go
        # where the customer signs in.
        details = replace(details, email=user.email)
    if not lines:
        raise NoLines()
    if not consent_given:
        raise ValidationFailed(
            _l("Ask the customer to accept the public offer and the personal data policy, "
               "and tick the box.")
        )
    # Given on the phone, not from a browser: no client address (the staff member's would
    # pass for the customer's); who took it stands where the browser would.
    grant = legal.Grant(
        versions={kind: version.id for kind, version in legal.current_versions().items()},
        ip=None,
        user_agent=f"phone order taken by {staff.email}"[:255],
    )
    try:
        variants = _variants_by_sku(lines)
        # The staff member's own cart for this order: not a shopper's (no user, a token no
        # browser holds), emptied by place_order and deleted below in the same transaction.
        cart = Cart(user_id=None, token=form_key)
        for line in lines:
            cart.lines.append(CartLine(variant_id=variants[line.sku.upper()].id,
                                       quantity=line.quantity))
        db.session.add(cart)
        db.session.flush()
    except Exception:
        db.session.rollback()
        raise
    user_id = user.id if user is not None else None
    order = place_order(cart, details, idempotency_key=form_key, user_id=user_id,
                        locale=(user.locale if user is not None else locale) or "ru",
                        consent=grant)
    _after_placing(order.id, cart.id, staff, ip)
    return db.session.get(Order, order.id)


def _after_placing(order_id: int, cart_id: int, staff, ip) -> None:
    """Mark the order as taken on the phone, give a prepaid one time to be paid and email its
    payment link; remove the staff member's cart; commits. A failure is logged and leaves the
    order as placed: staff can send the link again from the order's page."""
    try:
        order = db.session.get(Order, order_id)
        placed = next((e for e in order.events if e.kind == EventKind.PLACED.value), None)
        if placed is not None:
            placed.actor_id = staff.id
            placed.data = {"source": SOURCE_PHONE}
        audit.record("phone_order", "Order", order.id,
                     after={"number": order.number, "total": str(order.total),
                            "payment_method": order.payment_method},
                     actor=staff, ip=ip)
        if is_prepaid(order):
            order.expires_at = payment_deadline()
            _link_sent(order, staff)
        db.session.execute(Cart.__table__.delete().where(Cart.__table__.c.id == cart_id))
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("phone order %s: placed, but not marked or its link not sent", order_id)


def payment_deadline():
    hours = int(current_app.config.get("PHONE_ORDER_PAYMENT_HOURS", DEFAULT_PAYMENT_HOURS))
    return utcnow() + timedelta(hours=hours)


def is_phone_order(order: Order) -> bool:
    return any(e.kind == EventKind.PLACED.value and (e.data or {}).get("source") == SOURCE_PHONE
               for e in order.events)


def payment_link(order: Order) -> str:
    """Where the customer pays: a guest straight to the payment page through the order's
    signed link; a registered customer to their order's page (after signing in), whose
    "Pay" button opens it."""
    if order.user_id is None:
        return public_url_for("payments.go_guest", token=guest_token(order))
    return public_url_for("orders.detail", number=order.number)


def may_send_payment_link(order: Order) -> bool:
    """An order paid in advance, still waiting for its money."""
    return is_prepaid(order) and order.status == OrderStatus.NEW.value


def queue_payment_link(order: Order) -> None:
    """Queue the payment link email (no commit), in the customer's language."""
    queue_order_email(order, "order_payment_link", locale=_language(order),
                      pay_link=payment_link(order))


def _link_sent(order: Order, staff) -> None:
    """Queue the payment link and say so in the order's timeline (no commit)."""
    queue_payment_link(order)
    db.session.add(OrderEvent(order_id=order.id, from_status=order.status,
                              to_status=order.status, actor_id=staff.id,
                              kind=EventKind.PAYMENT_LINK_SENT.value, created_at=utcnow()))


def _language(order):
    user = order.user if order.user_id is not None else None
    return (user.locale if user is not None else None) or order.locale


def send_payment_link(order_id, *, staff, ip=None) -> Order:
    """Email the payment link of an unpaid prepaid order again (the customer lost it); the
    order's timeline and the audit log say who sent it; commits. Raises NotFound,
    ValidationFailed (nothing to pay: paid, cancelled, or cash on delivery)."""
    order = db.session.get(Order, order_id) if isinstance(order_id, int) else None
    if order is None:
        raise NotFound(_l("Order not found."))
    if not may_send_payment_link(order):
        raise ValidationFailed(_l("This order is not waiting for a payment."))
    try:
        if order.expires_at is not None and order.expires_at < payment_deadline():
            order.expires_at = payment_deadline()
        _link_sent(order, staff)
        audit.record("payment_link", "Order", order.id, after={"email": order.email},
                     actor=staff, ip=ip)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return order
