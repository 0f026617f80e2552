"""Refund, RefundLine, ReturnRequest and ReturnLine.

A Refund is money given back for chosen lines of an order (and/or its delivery): its lines say
which order lines and how many units, each with its amount, so the refund receipt and the next
refund know exactly what is already given back. A refund first exists as "pending" (the
quantities are taken, no other refund can take them), is sent to the payment provider outside
any transaction, and becomes "succeeded" or "failed" by what the provider answered; a pending
refund whose answer was lost is retried under the same idempotence key.

A ReturnRequest is a shopper's wish to send goods back: requested, then approved or rejected
by staff, received (the goods are back on the shelf) and refunded (through a Refund).
Statuses are short strings (no database enum), as elsewhere in the shop.
"""

from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.core.models import TimestampMixin
from shop.extensions import db


class RefundStatus:
    PENDING = "pending"  # sent (or about to be) to the provider; its answer is not in yet
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # the provider refused: nothing was given back


REFUND_STATUS_LABELS = {
    RefundStatus.PENDING: _l("Pending"),
    RefundStatus.SUCCEEDED: _l("Refunded"),
    RefundStatus.FAILED: _l("Failed"),
}
# The refunds whose quantities are taken: done, or on their way.
TAKEN = (RefundStatus.PENDING, RefundStatus.SUCCEEDED)
MANUAL = "manual"  # a refund staff give by hand (cash on delivery): no provider is asked


class Refund(TimestampMixin, db.Model):
    __tablename__ = "refund"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("order.id", ondelete="CASCADE"), index=True, nullable=False
    )
    payment_id: Mapped[int | None] = mapped_column(
        ForeignKey("payment.id", ondelete="SET NULL"), index=True
    )
    return_id: Mapped[int | None] = mapped_column(
        ForeignKey("return_request.id", ondelete="SET NULL"), index=True
    )
    # The provider's code (yookassa, card) or MANUAL.
    method: Mapped[str] = mapped_column(String(20), nullable=False)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="RUB")
    status: Mapped[str] = mapped_column(
        String(20), nullable=False, default=RefundStatus.PENDING, index=True
    )
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    # Put the goods back on the shelf when the refund succeeds (they came back with it).
    restock: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # What the provider sees as the Idempotence-Key: the same key never refunds twice.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    error: Mapped[str | None] = mapped_column(String(200))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )

    order = relationship("Order")
    payment = relationship("Payment")
    actor = relationship("User")
    lines = relationship(
        "RefundLine", back_populates="refund", cascade="all, delete-orphan",
        order_by="RefundLine.id",
    )
    return_request = relationship("ReturnRequest", back_populates="refunds")

    @property
    def status_label(self):
        return REFUND_STATUS_LABELS.get(self.status, self.status)

    def __str__(self):
        return f"#{self.id}"


class RefundLine(db.Model):
    """`quantity` units of an order line (None: the delivery) given back, worth `amount`."""

    __tablename__ = "refund_line"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    refund_id: Mapped[int] = mapped_column(
        ForeignKey("refund.id", ondelete="CASCADE"), index=True, nullable=False
    )
    order_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("order_line.id", ondelete="CASCADE"), index=True
    )
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)

    refund = relationship("Refund", back_populates="lines")
    order_line = relationship("OrderLine")


class ReturnStatus:
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    RECEIVED = "received"
    REFUNDED = "refunded"


RETURN_STATUS_LABELS = {
    ReturnStatus.REQUESTED: _l("Requested"),
    ReturnStatus.APPROVED: _l("Approved"),
    ReturnStatus.REJECTED: _l("Rejected"),
    ReturnStatus.RECEIVED: _l("Goods received"),
    ReturnStatus.REFUNDED: _l("Refunded"),
}
# A return still being dealt with: the order takes no other request meanwhile.
OPEN_RETURNS = (ReturnStatus.REQUESTED, ReturnStatus.APPROVED, ReturnStatus.RECEIVED)

# Why the shopper sends the goods back (the form's choices).
RETURN_REASONS = {
    "changed_mind": _l("Changed my mind"),
    "wrong_size": _l("Did not fit"),
    "not_as_described": _l("Not as described"),
    "defective": _l("Defective or damaged"),
    "wrong_item": _l("Wrong item sent"),
    "other": _l("Other"),
}


class ReturnRequest(TimestampMixin, db.Model):
    __tablename__ = "return_request"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("order.id", ondelete="CASCADE"), index=True, nullable=False
    )
    status: Mapped[str] = mapped_column(
        String(20), nullable=False, default=ReturnStatus.REQUESTED, index=True
    )
    reason: Mapped[str] = mapped_column(String(30), nullable=False)
    comment: Mapped[str | None] = mapped_column(Text)  # the shopper's words
    staff_comment: Mapped[str | None] = mapped_column(Text)  # staff's answer (approve/reject)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    received_at: Mapped[datetime | None] = mapped_column(DateTime)

    order = relationship("Order")
    lines = relationship(
        "ReturnLine", back_populates="return_request", cascade="all, delete-orphan",
        order_by="ReturnLine.id",
    )
    refunds = relationship("Refund", back_populates="return_request", order_by="Refund.id")

    @property
    def status_label(self):
        return RETURN_STATUS_LABELS.get(self.status, self.status)

    @property
    def reason_label(self):
        return RETURN_REASONS.get(self.reason, self.reason)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_RETURNS

    def __str__(self):
        return f"#{self.id}"


class ReturnLine(db.Model):
    __tablename__ = "return_line"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    return_id: Mapped[int] = mapped_column(
        ForeignKey("return_request.id", ondelete="CASCADE"), index=True, nullable=False
    )
    order_line_id: Mapped[int] = mapped_column(
        ForeignKey("order_line.id", ondelete="CASCADE"), index=True, nullable=False
    )
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)

    return_request = relationship("ReturnRequest", back_populates="lines")
    order_line = relationship("OrderLine")
