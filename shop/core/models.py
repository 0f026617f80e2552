"""Base pieces shared by models: timestamps and translated (ru/en) fields."""

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.orm import Mapped, mapped_column

from shop.core.i18n import current_language


def utcnow() -> datetime:
    """Naive UTC: stored the same way on SQLite and PostgreSQL, shown in the shop's time zone."""
    return datetime.now(UTC).replace(tzinfo=None)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, nullable=False
    )


class Translated:
    """Read `obj.<field>` as the value in the current language, falling back to Russian.

    The columns stay `<field>_ru` and `<field>_en`; staff edit both, shoppers read one.
    """

    def __init__(self, field: str):
        self.field = field

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        lang = current_language()
        value = getattr(obj, f"{self.field}_{lang}", None)
        if not value:
            value = getattr(obj, f"{self.field}_ru", None)
        return value or ""
