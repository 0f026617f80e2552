"""VAT rates (НДС) of goods and delivery, and the VAT inside a VAT-inclusive price.

Prices in the shop are VAT-inclusive; a product and a delivery method each name their rate
(22% by default since 2026-01-01, 10%, 0%, or "without VAT"), and an order line and the
order's delivery keep the rate they were sold at. The VAT shown to shoppers ("including VAT
22%: X ₽") is computed from those amounts here, in one place; the fiscal receipts
(shop.payments.receipts) map the same rates to the payment provider's codes.

It lives in core because the catalogue, shipping, cart, checkout, orders and payments all use
it, and core is the one layer below them all; it knows no feature.
"""

import enum
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l

CENT = Decimal("0.01")


class VatRate(enum.StrEnum):
    """A VAT rate as stored (a short string column, so a new rate needs no migration)."""

    VAT22 = "22"
    VAT10 = "10"
    VAT0 = "0"
    NONE = "none"  # not subject to VAT ("без НДС")

    @property
    def percent(self) -> int | None:
        """The rate in percent; None for "without VAT"."""
        return None if self is VatRate.NONE else int(self.value)

    @property
    def label(self):
        return VAT_LABELS[self]


DEFAULT_VAT_RATE = VatRate.VAT22

VAT_LABELS = {
    VatRate.VAT22: _l("VAT 22%"),
    VatRate.VAT10: _l("VAT 10%"),
    VatRate.VAT0: _l("VAT 0%"),
    VatRate.NONE: _l("Without VAT"),
}


def vat_choices() -> list[tuple[str, object]]:
    """(value, label) pairs for a form's select, the default first."""
    return [(rate.value, rate.label) for rate in VatRate]


def as_rate(value) -> VatRate:
    """The VatRate of a stored value; the default for an empty or unknown one (rows written
    before rates existed read as the default, as the migration fills them)."""
    try:
        return VatRate(str(value)) if value not in (None, "") else DEFAULT_VAT_RATE
    except ValueError:
        return DEFAULT_VAT_RATE


def vat_amount(amount, rate) -> Decimal:
    """The VAT inside the VAT-inclusive `amount` at `rate`: amount × rate / (100 + rate),
    rounded to kopecks (half up); 0.00 at 0% and without VAT."""
    percent = as_rate(rate).percent
    if not percent:
        return Decimal("0.00")
    value = Decimal(amount) * percent / (100 + percent)
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def vat_lines(amounts: Iterable[tuple[object, object]]) -> list[tuple[VatRate, Decimal]]:
    """The VAT of a cart or an order per rate, from its (VAT-inclusive amount, rate) pairs:
    [(VatRate.VAT22, Decimal("228.20")), ...], highest rate first, only rates that carry VAT.

    The amounts of one rate are added up first and the VAT is computed once per rate, so the
    lines match the totals a shopper sees."""
    totals: dict[VatRate, Decimal] = {}
    for amount, rate in amounts:
        rate = as_rate(rate)
        totals[rate] = totals.get(rate, Decimal("0")) + Decimal(amount or 0)
    lines = [(rate, vat_amount(total, rate)) for rate, total in totals.items()]
    lines = [(rate, vat) for rate, vat in lines if rate.percent and vat > 0]
    return sorted(lines, key=lambda item: -item[0].percent)
