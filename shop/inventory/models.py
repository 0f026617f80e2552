"""StockMovement: every change of a variant's stock, so the count can always be explained."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.core.models import utcnow
from shop.extensions import db


class StockReason:
    ORDER = "order"  # taken by a placed order
    CANCEL = "cancel"  # returned by a cancelled or expired order
    ADJUST = "adjust"  # corrected by staff
    RECEIVE = "receive"  # goods received
    INITIAL = "initial"  # demo seed / import
    RETURN = "return"  # goods a shopper sent back (shop.returns)
    EDIT = "order_edit"  # taken or put back by staff changing an order (shop.orders.editing)


class StockMovement(db.Model):
    __tablename__ = "stock_movement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    variant_id: Mapped[int] = mapped_column(
        ForeignKey("product_variant.id", ondelete="CASCADE"), index=True, nullable=False
    )
    delta: Mapped[int] = mapped_column(Integer, nullable=False)
    stock_after: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(20), nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("order.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, nullable=False, index=True
    )

    variant = relationship("ProductVariant")
    actor = relationship("User")
    order = relationship("Order")
