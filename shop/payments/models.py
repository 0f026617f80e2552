"""Payment, PaymentEvent and FiscalReceipt.

A Payment is one attempt to collect an order's money through one provider. PaymentEvent records
each webhook event by its provider id, so a replayed event is recognised and changes nothing.
A FiscalReceipt is a 54-FZ receipt sent on its own (the settlement receipt at hand-over).
The status is a short string (no database enum), so a new status needs no migration.
"""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import DateTime, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.core.models import TimestampMixin, utcnow
from shop.extensions import db


class PaymentStatus:
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    REFUNDED = "refunded"
    CANCELLED = "cancelled"
    # The money was taken for an order that no longer wanted it (cancelled or expired first,
    # or already paid by another attempt): it is not the order's payment, staff must refund it.
    NEEDS_REFUND = "needs_refund"


class PaymentKind:
    ORDER = "order"  # the order's own payment (its total at the time)
    # The difference asked after staff raised a paid order's total (shop.orders.editing).
    EXTRA = "extra"


# The statuses in which we hold (or held) the customer's money.
MONEY_TAKEN = (PaymentStatus.SUCCEEDED, PaymentStatus.NEEDS_REFUND, PaymentStatus.REFUNDED)


class Payment(TimestampMixin, db.Model):
    __tablename__ = "payment"
    __table_args__ = (
        UniqueConstraint("provider", "provider_reference", name="uq_payment_provider_reference"),
        UniqueConstraint("provider", "idempotency_key", name="uq_payment_provider_idempotency"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("order.id", ondelete="CASCADE"), index=True, nullable=False
    )
    provider: Mapped[str] = mapped_column(String(20), nullable=False)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="RUB")
    status: Mapped[str] = mapped_column(
        String(20), nullable=False, default=PaymentStatus.PENDING, index=True
    )
    provider_reference: Mapped[str | None] = mapped_column(String(64))
    idempotency_key: Mapped[str] = mapped_column(String(64), nullable=False)
    kind: Mapped[str] = mapped_column(
        String(10), nullable=False, default=PaymentKind.ORDER, server_default=PaymentKind.ORDER
    )
    # Given back by order edits while the rest is kept (a cancel then refunds only the rest).
    refunded_amount: Mapped[Decimal] = mapped_column(
        Numeric(12, 2), nullable=False, default=Decimal("0"), server_default="0"
    )

    order = relationship("Order", back_populates="payments")
    # The notifications received for this payment: the test gateway's own record of what it did
    # (see providers.TestGateway.fetch_payment).
    events = relationship("PaymentEvent", order_by="PaymentEvent.id", viewonly=True)
    # Fiscal receipts sent apart from the payment's own request (the settlement receipt).
    receipts = relationship("FiscalReceipt", back_populates="payment", order_by="FiscalReceipt.id")

    @property
    def held(self) -> Decimal:
        """What the shop still keeps of this payment's money (after edits' refunds)."""
        return Decimal(self.amount) - Decimal(self.refunded_amount or 0)


class ReceiptStatus:
    PENDING = "pending"  # to be sent (just recorded, or sent without an answer)
    SENT = "sent"  # the provider took it (its id in `provider_reference`)
    FAILED = "failed"  # the last attempt failed; `manage.py payments receipts` tries again


class FiscalReceipt(TimestampMixin, db.Model):
    """A 54-FZ receipt the shop sends on its own request, after the payment: the settlement
    receipt (`kind` "settlement") of a prepaid order when it is handed over.

    Recorded before it is sent, in its own transaction, so a failed call (the provider down)
    never holds up the order's status change: the row stays "failed" with the error for staff
    to see, and is sent again (same Idempotence-Key) until the provider takes it.
    """

    __tablename__ = "fiscal_receipt"
    __table_args__ = (
        UniqueConstraint("payment_id", "kind", name="uq_fiscal_receipt_payment_kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    payment_id: Mapped[int] = mapped_column(
        ForeignKey("payment.id", ondelete="CASCADE"), index=True, nullable=False
    )
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(
        String(20), nullable=False, default=ReceiptStatus.PENDING, index=True
    )
    provider_reference: Mapped[str | None] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(String(255))

    payment = relationship("Payment", back_populates="receipts")


class PaymentEvent(db.Model):
    __tablename__ = "payment_event"
    __table_args__ = (
        UniqueConstraint("provider", "event_id", name="uq_payment_event_provider_event"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider: Mapped[str] = mapped_column(String(20), nullable=False)
    event_id: Mapped[str] = mapped_column(String(64), nullable=False)
    payment_id: Mapped[int | None] = mapped_column(
        ForeignKey("payment.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    payload: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
