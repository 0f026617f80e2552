"""Placing an order: one service, one transaction.

Following django-oscar's OrderCreator: the cart is priced from the database, the stock is taken
with guarded updates in variant-id order, the lines are snapshotted, and the order, its first
OrderEvent, its StockMovements, its Payment and its confirmation email are committed together,
or nothing is. The checkout form's one-time token is the order's idempotency key, so a double
click, a back-and-resubmit or two tabs give one order.
"""

import secrets
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shop.cart import services as cart_services
from shop.core.errors import DomainError, ValidationFailed
from shop.core.models import utcnow
from shop.core.vat import vat_lines
from shop.extensions import db
from shop.inventory.services import take_for_order
from shop.legal import services as legal
from shop.orders.models import (
    EventKind,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    PaymentMethod,
)
from shop.orders.services import card_deadline, queue_order_email
from shop.payments import providers
from shop.payments.services import new_payment
from shop.shipping.services import get_active


class EmptyCart(DomainError):
    message = _l("Your cart is empty.")


class OutOfStock(DomainError):
    """Some lines cannot be had; `details["lines"]` names them (product name, option)."""

    message = _l("Some items are no longer available in the quantity you chose.")


class CartChanged(DomainError):
    """Prices or stock changed since the shopper reviewed the order."""

    message = _l("Prices or availability changed. Please check the new figures and confirm.")


@dataclass
class Details:
    email: str
    phone: str
    name: str
    delivery_method_id: int
    payment_method: str
    address: str | None = None  # the one line the order keeps (None for pickup)
    note: str | None = None
    # What the checkout form needs to show the address again on the way back from the review:
    # the parts typed, or the id of the saved address chosen. The order keeps only `address`.
    address_parts: dict | None = None
    address_id: int | None = None


@dataclass
class Quote:
    cart: cart_services.CartView
    method: object
    delivery_price: Decimal
    total: Decimal

    @property
    def fingerprint(self) -> str:
        return f"{self.cart.fingerprint}|{self.method.id}:{self.delivery_price}"

    @property
    def vat_lines(self) -> list:
        """"Including VAT 22%: X" per rate for the goods and the delivery."""
        amounts = [(row.line_total, row.product.vat_rate) for row in self.cart.rows]
        amounts.append((self.delivery_price, self.method.vat_rate))
        return vat_lines(amounts)


def quote(cart, details: Details) -> Quote:
    """Totals computed on the server for this cart and these choices.

    Raises EmptyCart, OutOfStock (lines short or gone), NotFound (delivery method),
    ValidationFailed (address missing, payment method not offered).
    """
    view = cart_services.load(cart)
    if not view.rows:
        raise EmptyCart()
    problems = [row for row in view.rows if row.problem]
    if problems:
        names = [_line_name(row.product.name, row.label) for row in problems]
        raise OutOfStock(lines=names)
    method = get_active(details.delivery_method_id)
    if method.needs_address and not (details.address or "").strip():
        raise ValidationFailed(_l("Enter a delivery address."))
    if details.payment_method not in {code for code, _label in providers.available_methods()}:
        raise ValidationFailed(_l("Choose a payment method from the list."))
    delivery = method.price_for(view.subtotal)
    return Quote(view, method, delivery, view.subtotal + delivery)


def _line_name(name, label):
    return f"{name} ({label})" if label else name


def existing_order(idempotency_key: str) -> Order | None:
    if not idempotency_key:
        return None
    return db.session.scalar(select(Order).where(Order.idempotency_key == idempotency_key))


def place_order(cart, details: Details, *, idempotency_key: str, user_id=None, locale="ru",
                expected_fingerprint: str | None = None, consent=None) -> Order:
    """Turn the cart into an order; commits. Returns the order (an existing one on resubmit).

    Raises EmptyCart, OutOfStock (nothing written; `details["lines"]` lists the short lines),
    CartChanged (the reviewed figures differ from today's), ValidationFailed, NotFound. On any
    error the database and the cart are as they were.

    `consent` (a shop.legal.services.Grant) is the shopper's acceptance of the offer and the
    personal data policy: recorded with the order, in its transaction; DocumentsChanged when a
    version accepted is no longer the current one.
    """
    if not idempotency_key or len(idempotency_key) > 64:
        raise ValidationFailed(_l("This form has expired. Please review your order again."))
    already = existing_order(idempotency_key)
    if already is not None:
        return _same_owner(already, user_id)
    if cart is None:
        raise EmptyCart()
    try:
        priced = quote(cart, details)
        if consent is not None:
            legal.check_current(consent)
        if expected_fingerprint is not None and expected_fingerprint != priced.fingerprint:
            raise CartChanged()
        order = _build(priced, details, idempotency_key, user_id, locale)
        db.session.add(order)
        db.session.flush()
        short = take_for_order(_quantities(priced), order.id)
        if short:
            names = [
                _line_name(row.product.name, row.label)
                for row in priced.cart.rows
                if row.variant.id in short
            ]
            raise OutOfStock(lines=names)
        new_payment(order)
        if consent is not None:
            legal.add_consents(consent, email=order.email, user_id=user_id, order_id=order.id)
        queue_order_email(order, "order_placed")
        cart_services.clear(cart)
        db.session.commit()
    except IntegrityError:
        # Another submit of the same form won the race for the idempotency key.
        db.session.rollback()
        already = existing_order(idempotency_key)
        if already is None:
            raise
        return _same_owner(already, user_id)
    except Exception:
        db.session.rollback()
        raise
    return order


def _same_owner(order, user_id):
    if order.user_id != user_id:
        raise ValidationFailed(_l("This form has expired. Please review your order again."))
    return order


def _quantities(priced: Quote) -> dict[int, int]:
    return {row.variant.id: row.line.quantity for row in priced.cart.rows}


def _build(priced: Quote, details: Details, key: str, user_id, locale) -> Order:
    method = priced.method
    order = Order(
        number=new_number(),
        user_id=user_id,
        email=details.email.strip().lower(),
        phone=details.phone.strip(),
        customer_name=details.name.strip(),
        shipping_address=(details.address or "").strip() if method.needs_address else None,
        delivery_method_id=method.id,
        delivery_method_name=(method.name_en or method.name_ru) if locale == "en"
        else method.name_ru,
        delivery_price=priced.delivery_price,
        delivery_vat_rate=method.vat_rate,
        payment_method=PaymentMethod(details.payment_method).value,
        subtotal=priced.cart.subtotal,
        total=priced.total,
        status=OrderStatus.NEW.value,
        locale=locale,
        idempotency_key=key,
        access_token=secrets.token_urlsafe(32),
        customer_note=(details.note or "").strip() or None,
    )
    if order.payment_method != PaymentMethod.CASH:
        # Paid in advance (card, СБП): the goods are held for a while, then go back on sale.
        order.expires_at = card_deadline()
    for row in priced.cart.rows:
        product = row.product
        order.lines.append(
            OrderLine(
                variant_id=row.variant.id,
                product_name=(product.name_en or product.name_ru) if locale == "en"
                else product.name_ru,
                variant_label=row.label or None,
                sku=row.variant.sku,
                unit_price=row.unit_price,
                quantity=row.line.quantity,
                line_total=row.line_total,
                vat_rate=product.vat_rate,
            )
        )
    order.events.append(
        OrderEvent(from_status=None, to_status=OrderStatus.NEW.value, actor_id=user_id,
                   kind=EventKind.PLACED.value, created_at=utcnow())
    )
    return order


def new_number() -> str:
    """An order number people can read out on the phone: the date and eight random digits.

    Random rather than sequential so numbers tell nothing about sales; a number already taken
    is drawn again (two orders drawing the same unused number at the same instant would still
    collide on the unique index: one in 10^8 per pair, and that submit can simply be repeated).
    """
    while True:
        number = f"{utcnow():%y%m%d}-{secrets.randbelow(10**8):08d}"
        if db.session.scalar(select(Order.id).where(Order.number == number)) is None:
            return number
