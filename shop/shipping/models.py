"""DeliveryMethod: a named way to get goods to the shopper, with its price rules."""

from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shop.core.cache import watch_catalogue_models
from shop.core.models import TimestampMixin, Translated
from shop.core.vat import DEFAULT_VAT_RATE
from shop.extensions import db


class DeliveryMethod(TimestampMixin, db.Model):
    __tablename__ = "delivery_method"
    __table_args__ = (CheckConstraint("price >= 0", name="price_not_negative"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    name_ru: Mapped[str] = mapped_column(String(120), nullable=False)
    name_en: Mapped[str | None] = mapped_column(String(120))
    description_ru: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False, default=Decimal("0"))
    # Delivery is free when the goods total reaches this amount (None: never free).
    free_from: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    # shop.core.vat.VatRate of the delivery price; an order copies it.
    vat_rate: Mapped[str] = mapped_column(
        String(8), nullable=False, default=DEFAULT_VAT_RATE.value, server_default="22"
    )
    needs_address: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)

    name = Translated("name")
    description = Translated("description")

    def price_for(self, subtotal: Decimal) -> Decimal:
        """What delivery costs for goods worth `subtotal`."""
        if self.free_from is not None and subtotal >= self.free_from:
            return Decimal("0.00")
        return self.price

    def __str__(self):
        return self.name_ru


# Delivery methods and their prices are shown with the catalogue's cached data (the cart page).
watch_catalogue_models(DeliveryMethod)
