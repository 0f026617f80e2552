"""Order, OrderLine and OrderEvent.

An order is a snapshot: lines copy the name, SKU and unit price, and the address is copied as
text, so later edits to the catalogue or the address book never rewrite what was sold.

An OrderEvent says what happened by its kind (EventKind) and keeps the facts (a payment's
provider, amount, currency and reference) in its JSON `data`; its label is built from those in
the reader's language. Only staff's own words are free text, in `note`, shown as typed.
"""

import enum
from datetime import datetime
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.catalog import attributes
from shop.core.i18n import current_language
from shop.core.models import TimestampMixin, utcnow
from shop.core.vat import DEFAULT_VAT_RATE, vat_lines
from shop.extensions import db


class OrderStatus(enum.StrEnum):
    NEW = "new"
    PAID = "paid"
    PROCESSING = "processing"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    # Some lines (or the delivery) given back by a refund by line; the rest is kept.
    PARTLY_REFUNDED = "partly_refunded"

    @property
    def label(self):
        return STATUS_LABELS[self]


STATUS_LABELS = {
    OrderStatus.NEW: _l("New"),
    OrderStatus.PAID: _l("Paid"),
    OrderStatus.PROCESSING: _l("Processing"),
    OrderStatus.SHIPPED: _l("Shipped"),
    OrderStatus.DELIVERED: _l("Delivered"),
    OrderStatus.CANCELLED: _l("Cancelled"),
    OrderStatus.REFUNDED: _l("Refunded"),
    OrderStatus.PARTLY_REFUNDED: _l("Partly refunded"),
}


class PaymentMethod(enum.StrEnum):
    CASH = "cash"
    CARD = "card"  # the built-in test gateway
    YOOKASSA_CARD = "yookassa_card"  # a bank card through YooKassa
    YOOKASSA_SBP = "yookassa_sbp"  # СБП (the Faster Payments System) through YooKassa
    YOOKASSA_SBERPAY = "yookassa_sberpay"  # SberPay through YooKassa, where the shop has it

    @property
    def label(self):
        return PAYMENT_METHOD_LABELS[self]


PAYMENT_METHOD_LABELS = {
    PaymentMethod.CASH: _l("Cash on delivery"),
    PaymentMethod.CARD: _l("Bank card"),
    PaymentMethod.YOOKASSA_CARD: _l("Bank card"),
    PaymentMethod.YOOKASSA_SBP: _l("SBP (Faster Payments System)"),
    PaymentMethod.YOOKASSA_SBERPAY: _l("SberPay"),
}


# Payment providers as an event names them (`data["provider"]`) when the code is not a payment
# method's: YooKassa takes both its card and СБП payments under one provider code.
PROVIDER_LABELS = {"yookassa": _l("YooKassa")}


class Order(TimestampMixin, db.Model):
    __tablename__ = "order"
    __table_args__ = (
        Index("ix_order_status_created", "status", "created_at"),
        CheckConstraint("total >= 0", name="total_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    email: Mapped[str] = mapped_column(String(255), nullable=False, index=True)
    phone: Mapped[str] = mapped_column(String(32), nullable=False, index=True)
    customer_name: Mapped[str] = mapped_column(String(120), nullable=False)
    shipping_address: Mapped[str | None] = mapped_column(Text)  # snapshot, one line
    delivery_method_id: Mapped[int | None] = mapped_column(
        ForeignKey("delivery_method.id", ondelete="SET NULL"), index=True
    )
    delivery_method_name: Mapped[str] = mapped_column(String(120), nullable=False)
    delivery_price: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    # The delivery method's VAT rate at checkout (shop.core.vat.VatRate).
    delivery_vat_rate: Mapped[str] = mapped_column(
        String(8), nullable=False, default=DEFAULT_VAT_RATE.value, server_default="22"
    )
    payment_method: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    subtotal: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="RUB")
    status: Mapped[str] = mapped_column(
        String(20), nullable=False, default=OrderStatus.NEW.value, index=True
    )
    locale: Mapped[str] = mapped_column(String(5), nullable=False, default="ru")
    # The checkout form's one-time token: a resubmitted form finds the order already placed.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Random secret for the guest's signed link to the order.
    access_token: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    customer_note: Mapped[str | None] = mapped_column(Text)
    staff_note: Mapped[str | None] = mapped_column(Text)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)

    user = relationship("User")
    delivery_method = relationship("DeliveryMethod")
    lines = relationship(
        "OrderLine", back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.id"
    )
    events = relationship(
        "OrderEvent",
        back_populates="order",
        cascade="all, delete-orphan",
        order_by="(OrderEvent.created_at, OrderEvent.id)",
    )
    payments = relationship("Payment", back_populates="order", order_by="Payment.id")

    @property
    def status_label(self):
        return OrderStatus(self.status).label

    @property
    def payment_method_label(self):
        return PaymentMethod(self.payment_method).label

    @property
    def vat_lines(self) -> list:
        """"Including VAT 22%: X" per rate, from the lines and the delivery as sold."""
        amounts = [(line.line_total, line.vat_rate) for line in self.lines]
        amounts.append((self.delivery_price, self.delivery_vat_rate))
        return vat_lines(amounts)

    @property
    def shown_in_own_language(self) -> bool:
        """True when the reader's language is the one the order was placed in."""
        return current_language() == (self.locale or "ru")

    @property
    def delivery_name(self) -> str:
        """The delivery method's name in the reader's language.

        The snapshot when read in the order's language (or once the method is deleted); the
        method's current name in the other language, so an English page says "Courier".
        """
        method = None if self.shown_in_own_language else self.delivery_method
        return (method.name if method is not None else "") or self.delivery_method_name

    @property
    def pickup_point(self) -> str:
        """Where to collect an order sent without an address: the method's description."""
        method = self.delivery_method
        if self.shipping_address or method is None or method.needs_address:
            return ""
        return method.description or ""

    def __str__(self):
        return self.number


class OrderLine(db.Model):
    __tablename__ = "order_line"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("order.id", ondelete="CASCADE"), index=True, nullable=False
    )
    variant_id: Mapped[int | None] = mapped_column(
        ForeignKey("product_variant.id", ondelete="SET NULL"), index=True
    )
    product_name: Mapped[str] = mapped_column(String(200), nullable=False)
    variant_label: Mapped[str | None] = mapped_column(String(80))
    sku: Mapped[str] = mapped_column(String(64), nullable=False)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    line_total: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    # The product's VAT rate at checkout (shop.core.vat.VatRate): the receipts' and the pages'.
    vat_rate: Mapped[str] = mapped_column(
        String(8), nullable=False, default=DEFAULT_VAT_RATE.value, server_default="22"
    )

    order = relationship("Order", back_populates="lines")
    variant = relationship("ProductVariant")

    def _live_variant(self):
        """The variant, when the line is read in another language than the order's."""
        if self.variant_id is None or self.order is None or self.order.shown_in_own_language:
            return None
        return self.variant

    @property
    def name(self) -> str:
        """The product's name in the reader's language (the snapshot in the order's own)."""
        variant = self._live_variant()
        if variant is not None and variant.product is not None:
            return variant.product.name or self.product_name
        return self.product_name

    @property
    def label(self) -> str:
        """Size and colour in the reader's language (the snapshot in the order's own)."""
        variant = self._live_variant()
        if variant is not None:
            return attributes.variant_label(variant)
        return self.variant_label or ""


class EventKind(enum.StrEnum):
    """What an OrderEvent records. The shop's own events carry their facts in `data`; only
    staff's words are free text (`note`), shown as typed."""

    PLACED = "placed"
    PAID = "paid"  # data: provider, amount, currency, reference
    STATUS_CHANGED = "status_changed"  # by staff or the system; `note`: staff's comment
    CANCELLED_BY_CUSTOMER = "cancelled_by_customer"
    EXPIRED = "expired"  # a card order not paid in time
    LATE_PAYMENT = "late_payment"  # money for an order that no longer takes it; data as PAID
    LATE_PAYMENT_REFUNDED = "late_payment_refunded"  # data as PAID
    NOTE = "note"  # staff's free text without a status change
    # A refund by line (shop.returns); data: amount, currency, lines [{sku, quantity, amount}],
    # delivery (bool); `note`: staff's reason.
    REFUNDED_PART = "refunded_part"
    # Staff changed the order before it left (shop.orders.editing); data: lines [{sku, name,
    # before, after}], delivery {before, after}, address (bool), totals {before, after},
    # currency, money {action, amount}; `note`: staff's reason.
    EDITED = "edited"
    # The customer paid the difference an edit asked for; data as PAID.
    EXTRA_PAID = "extra_paid"
    # The steps of a shopper's return request (shop.returns); data: {"return_id": id}.
    RETURN_REQUESTED = "return_requested"
    RETURN_APPROVED = "return_approved"
    RETURN_REJECTED = "return_rejected"
    RETURN_RECEIVED = "return_received"
    # Staff emailed the customer the link to pay a prepaid order (a phone order).
    PAYMENT_LINK_SENT = "payment_link_sent"


# Labels of the kinds that say everything by themselves.
KIND_LABELS = {
    EventKind.PLACED: _l("Order placed"),
    EventKind.CANCELLED_BY_CUSTOMER: _l("Cancelled by the customer"),
    EventKind.EXPIRED: _l("Not paid by card in time: cancelled automatically"),
    EventKind.RETURN_REQUESTED: _l("The customer asked to return goods"),
    EventKind.RETURN_APPROVED: _l("Return approved"),
    EventKind.RETURN_REJECTED: _l("Return rejected"),
    EventKind.RETURN_RECEIVED: _l("Returned goods received"),
    EventKind.PAYMENT_LINK_SENT: _l("Payment link emailed to the customer"),
}


class OrderEvent(db.Model):
    """One step of an order's life: who moved it from which status to which, and why."""

    __tablename__ = "order_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("order.id", ondelete="CASCADE"), index=True, nullable=False
    )
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20), nullable=False)
    kind: Mapped[str] = mapped_column(
        String(30), nullable=False, default=EventKind.STATUS_CHANGED.value
    )
    # The facts of the shop's own events (see EventKind), never parsed out of text.
    data: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    note: Mapped[str | None] = mapped_column(Text)  # staff's words only
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)

    order = relationship("Order", back_populates="events")
    actor = relationship("User")

    @property
    def is_late_payment(self) -> bool:
        return self.kind == EventKind.LATE_PAYMENT

    @property
    def note_label(self) -> str:
        """What happened, in the reader's language: built from the kind and its data, followed
        by staff's note as typed."""
        return " ".join(part for part in (self._kind_label(), self.note) if part)

    def _kind_label(self) -> str:
        try:
            kind = EventKind(self.kind)
        except ValueError:
            return ""
        data = self.data or {}
        if kind == EventKind.PLACED and data.get("source") == "phone":  # shop.checkout.phone
            return _("Order placed by phone")
        if kind in KIND_LABELS:
            return str(KIND_LABELS[kind])
        if kind == EventKind.PAID:
            provider = data.get("provider") or ""
            try:
                method = PaymentMethod(provider).label
            except ValueError:
                method = str(PROVIDER_LABELS.get(provider, provider))
            return _("Paid: %(method)s", method=method)
        if kind == EventKind.LATE_PAYMENT:
            try:
                status = OrderStatus(self.to_status).label
            except ValueError:
                status = self.to_status
            text = _("Late payment: the money arrived when the order was already "
                     "\u201c%(status)s\u201d. Refund it.", status=status)
            return _with_details(text, data)
        if kind == EventKind.LATE_PAYMENT_REFUNDED:
            return _with_details(_("The late payment was refunded."), data)
        if kind == EventKind.REFUNDED_PART:
            return _refund_label(data)
        if kind == EventKind.EDITED:
            return edit_label(data)
        if kind == EventKind.EXTRA_PAID:
            return _with_details(_("Additional payment received."), data)
        return ""


def payment_data(provider: str, amount, currency: str, reference: str | None) -> dict:
    """The `data` of a payment's event: the amount as a string (JSON has no decimals)."""
    return {
        "provider": provider,
        "amount": str(amount),
        "currency": currency,
        "reference": reference,
    }


def _refund_label(data: dict) -> str:
    """"Refunded 1280.00 RUB: SKU-1 × 2, delivery": what a refund by line gave back."""
    items = [f"{line.get('sku') or ''} × {line.get('quantity')}"
             for line in data.get("lines") or ()]
    if data.get("delivery"):
        items.append(str(_("delivery")))
    return _("Refunded %(amount)s %(currency)s: %(items)s", amount=data.get("amount") or "",
             currency=data.get("currency") or "", items=", ".join(items))


def _with_details(text: str, data: dict) -> str:
    """`text` followed by the payment's amount and reference, as staff match it with the
    provider's records: "(1280.00 RUB, card abc123)"."""
    if data.get("amount") is not None:
        details = (
            f"({data['amount']} {data.get('currency') or ''}, "
            f"{data.get('provider') or ''} {data.get('reference') or '-'})"
        )
    else:
        # Rows converted from old notes whose details did not read as a payment's
        # (migration 0009): kept as they were.
        details = data.get("details") or ""
    return f"{text} {details}".strip()


def edit_label(data: dict) -> str:
    """"Order changed: SKU-1 2 → 3; SKU-2 removed; SKU-3 × 1 added; delivery Courier → Pickup;
    total 1000.00 → 1200.00 RUB": what an edit did, from its event's data (shop.orders.editing)."""
    items = []
    for line in data.get("lines") or ():
        sku, before, after = line.get("sku") or "", line.get("before") or 0, line.get("after") or 0
        if not before:
            items.append(_("%(sku)s × %(num)s added", sku=sku, num=after))
        elif not after:
            items.append(_("%(sku)s removed", sku=sku))
        else:
            items.append(_("%(sku)s: %(before)s → %(after)s", sku=sku, before=before,
                           after=after))
    delivery = data.get("delivery")
    if delivery:
        items.append(_("delivery: %(before)s → %(after)s", before=delivery.get("before") or "",
                       after=delivery.get("after") or ""))
    if data.get("address"):
        items.append(_("address changed"))
    totals = data.get("totals") or {}
    if totals:
        items.append(_("total: %(before)s → %(after)s %(currency)s", before=totals.get("before"),
                       after=totals.get("after"), currency=data.get("currency") or ""))
    money = data.get("money") or {}
    if money.get("action") == "refunded":
        items.append(_("refunded %(amount)s", amount=money.get("amount")))
    elif money.get("action") == "extra":
        items.append(_("additional payment of %(amount)s asked", amount=money.get("amount")))
    return _("Order changed: %(items)s", items="; ".join(str(i) for i in items))
