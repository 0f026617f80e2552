"""54-FZ receipts (чеки) for YooKassa, built from an order as it was sold.

Three receipts follow an order paid in advance through YooKassa (docs/payments.md):

- `payment_receipt(order, amount)`: the prepayment receipt (чек прихода, "full_prepayment"),
  sent inside the payment request: the goods were paid for, not handed over yet;
- `settlement_receipt(order, payment_id)`: when the order is handed over (delivered, or picked
  up), the settlement receipt (чек зачёта предоплаты, "full_payment" with a "prepayment"
  settlement), sent through POST /receipts;
- `refund_receipt(order, amount, parts, settled)`: with every refund, exactly the refunded
  items (a whole refund: everything the payment covered).

Each order line is one item (its snapshot name and size/colour, quantity, unit price, the VAT
rate it was sold at, "commodity"), the delivery another ("service") when it cost anything. The
items of a receipt must add up to its amount to the kopeck: a line whose total is not its unit
price times its quantity is split in two items, and a difference between the order's total and
its lines (a discount) is spread over the items in proportion (`_fit`).

Only data the order keeps is used (snapshots), so a retried request builds the same body and
YooKassa's Idempotence-Key check accepts it.
"""

import re
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Decimal

from flask import current_app

from shop.core.vat import VatRate, as_rate

CENT = Decimal("0.01")
# YooKassa's vat_code reference table (yookassa.ru/developers/54fz/parameters-values): 1 without
# VAT, 2 0%, 3 10%, 4 20% (until 2025), 11 22% (since 2026-01-01).
VAT_CODES = {VatRate.NONE: 1, VatRate.VAT0: 2, VatRate.VAT10: 3, VatRate.VAT22: 11}
COMMODITY, SERVICE = "commodity", "service"
FULL_PREPAYMENT, FULL_PAYMENT = "full_prepayment", "full_payment"
DESCRIPTION_MAX = 128


def money(amount, currency: str) -> dict:
    """YooKassa's amount object: the value as a string with two decimals."""
    return {"value": f"{Decimal(amount).quantize(CENT)}", "currency": currency}


@dataclass(frozen=True)
class Part:
    """What one or more items of a receipt stand for: `quantity` units worth `amount` in all."""

    description: str
    quantity: int
    amount: Decimal
    vat_rate: VatRate
    subject: str


def customer(order) -> dict:
    """Where the receipt goes: the order's email, and its phone when it reads as a phone
    number (YooKassa wants ITU-T E.164 digits without "+": 79001234567)."""
    data = {"email": order.email}
    phone = phone_digits(order.phone)
    if phone:
        data["phone"] = phone
    return data


def phone_digits(phone) -> str | None:
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 11 and digits.startswith("8"):
        digits = "7" + digits[1:]  # a Russian number written the domestic way
    elif len(digits) == 10 and digits.startswith("9"):
        digits = "7" + digits  # a Russian mobile without the country code
    return digits if 11 <= len(digits) <= 15 else None


def _line_description(line) -> str:
    name = f"{line.product_name} ({line.variant_label})" if line.variant_label else (
        line.product_name)
    return name[:DESCRIPTION_MAX]


def _delivery_description(order) -> str:
    return (order.delivery_method_name or "")[:DESCRIPTION_MAX]


def order_parts(order) -> list[Part]:
    """Every line of the order, and its delivery when it was not free."""
    parts = [
        Part(_line_description(line), line.quantity, Decimal(line.line_total),
             as_rate(line.vat_rate), COMMODITY)
        for line in order.lines
    ]
    if Decimal(order.delivery_price or 0) > 0:
        parts.append(Part(_delivery_description(order), 1, Decimal(order.delivery_price),
                          as_rate(order.delivery_vat_rate), SERVICE))
    return parts


def refund_parts(order, parts) -> list[Part]:
    """The refunded parts (shop.payments.base.RefundPart: a line and a quantity, or the
    delivery when `line_id` is None), each with its line's description and VAT rate. Raises
    ValueError for a line that is not the order's."""
    lines = {line.id: line for line in order.lines}
    result = []
    for part in parts:
        if part.line_id is None:
            result.append(Part(_delivery_description(order), 1, Decimal(part.amount),
                               as_rate(order.delivery_vat_rate), SERVICE))
            continue
        line = lines.get(part.line_id)
        if line is None:
            raise ValueError(f"line {part.line_id} is not order {order.number}'s")
        result.append(Part(_line_description(line), int(part.quantity), Decimal(part.amount),
                           as_rate(line.vat_rate), COMMODITY))
    return result


def _fit(parts: list[Part], target) -> list[Part]:
    """The parts with their amounts changed so they add up to `target` exactly: the difference
    (a discount, or a rounding) is spread in proportion to the amounts, the last part taking
    the remainder. Parts that add up already come back as they were."""
    target = Decimal(target).quantize(CENT)
    total = sum((p.amount for p in parts), Decimal("0"))
    if total == target or not parts:
        return parts
    if total <= 0:
        raise ValueError("nothing to spread the amount over")
    fitted, left = [], target
    for index, part in enumerate(parts):
        if index == len(parts) - 1:
            amount = left
        else:
            amount = (part.amount * target / total).quantize(CENT, rounding=ROUND_DOWN)
        left -= amount
        fitted.append(replace(part, amount=amount))
    if any(p.amount < 0 for p in fitted):
        raise ValueError("the receipt's items cannot add up to the amount")
    return fitted


def _items(parts: list[Part], mode: str, currency: str) -> list[dict]:
    """Receipt items: a unit price each. A part whose amount is not a whole number of kopecks
    per unit becomes two items (all units but one at the lower price, the last one at the
    rest), so price × quantity still adds up to the part."""
    items = []
    for part in parts:
        if part.quantity <= 0:
            continue
        unit = (part.amount / part.quantity).quantize(CENT, rounding=ROUND_DOWN)
        split = [(part.quantity, unit)]
        if unit * part.quantity != part.amount:
            split = [(part.quantity - 1, unit), (1, part.amount - unit * (part.quantity - 1))]
        for quantity, price in split:
            if quantity <= 0:
                continue
            items.append({
                "description": part.description or "-",
                "quantity": quantity,
                "amount": money(price, currency),
                "vat_code": VAT_CODES[part.vat_rate],
                "payment_subject": part.subject,
                "payment_mode": mode,
            })
    return items


def tax_system_code() -> int | None:
    """SHOP_TAX_SYSTEM_CODE (1–6), sent only when set: YooKassa needs it from shops registered
    with several tax systems and takes the shop's own otherwise."""
    value = current_app.config.get("TAX_SYSTEM_CODE")
    return int(value) if value not in (None, "") else None


def _receipt(order, items: list[dict]) -> dict:
    receipt = {"customer": customer(order), "items": items}
    code = tax_system_code()
    if code is not None:
        receipt["tax_system_code"] = code
    return receipt


def items_total(items: list[dict]) -> Decimal:
    """What the items add up to: unit price × quantity, summed."""
    return sum((Decimal(i["amount"]["value"]) * Decimal(str(i["quantity"])) for i in items),
               Decimal("0"))


def payment_receipt(order, amount=None) -> dict:
    """The prepayment receipt sent with the payment of `amount` (the order's total)."""
    amount = order.total if amount is None else amount
    parts = _fit(order_parts(order), amount)
    return _receipt(order, _items(parts, FULL_PREPAYMENT, order.currency))


def refund_receipt(order, amount, parts=None, settled: bool = False) -> dict:
    """The refund receipt of `amount`: the refunded `parts` (shop.payments.base.RefundPart), or
    the whole order when there are none. After the settlement receipt the items are in "full
    payment" (the goods were handed over), before it in "full prepayment"."""
    chosen = order_parts(order) if not parts else refund_parts(order, parts)
    mode = FULL_PAYMENT if settled else FULL_PREPAYMENT
    return _receipt(order, _items(_fit(chosen, amount), mode, order.currency))


def settlement_receipt(order, payment_id: str, amount=None) -> dict:
    """The body of POST /receipts once the order is handed over: the items in "full payment",
    settled against the prepayment YooKassa's payment `payment_id` took."""
    amount = order.total if amount is None else amount
    parts = _fit(order_parts(order), amount)
    body = _receipt(order, _items(parts, FULL_PAYMENT, order.currency))
    body.update({
        "type": "payment",
        "payment_id": payment_id,
        "send": True,
        "settlements": [{"type": "prepayment", "amount": money(amount, order.currency)}],
    })
    return body
