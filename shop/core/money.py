"""Money is Decimal with two places, formatted by Babel for the reader's locale."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask import current_app
from flask_babel import format_currency
from flask_babel import lazy_gettext as _l

from shop.core.errors import ValidationFailed

CENT = Decimal("0.01")


def to_money(value) -> Decimal:
    """Turn a str/int/Decimal into a two-place Decimal; floats are refused on purpose."""
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(_l("Not an amount of money.")) from exc
    if not amount.is_finite():
        raise ValidationFailed(_l("Not an amount of money."))
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(value, currency: str | None = None) -> str:
    if value is None:
        return ""
    currency = currency or current_app.config.get("CURRENCY", "RUB")
    return format_currency(Decimal(value), currency)
