"""Audit entries as people read them: field labels in the reader's language, values as words.

An entry stores plain JSON (field codes, "99.00", true, "cancelled"), so the log stays readable
whatever language it is shown in; this module turns it into rows of (label, before, after) at
display time. Only the fields listed here are shown (an allow-list per model): anything else in
an entry (ids, timestamps, search columns, a secret stored by an older version) stays hidden,
so a new column never leaks into the log by accident. A field's value is read by its kind:
money with the currency, yes/no, a status or a role by its label, a category by its name, long
text shortened to one line.
"""

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from shop.accounts.models import ROLE_LABELS
from shop.catalog.models import Category
from shop.core.money import format_money
from shop.core.vat import VAT_LABELS, VatRate
from shop.extensions import db
from shop.orders.models import PAYMENT_METHOD_LABELS, STATUS_LABELS, OrderStatus, PaymentMethod

# Labels every model shares: a field named like this means the same thing everywhere.
COMMON_LABELS = {
    "active": _l("Active"),
    "name_ru": _l("Name (ru)"),
    "name_en": _l("Name (en)"),
    "description_ru": _l("Description (ru)"),
    "description_en": _l("Description (en)"),
    "slug": _l("Slug"),
    "position": _l("Sort order"),
    "price": _l("Price"),
    "vat_rate": _l("VAT rate"),
    "note": _l("Note"),
    "rows": _l("Rows"),
}
# What each model adds (or names differently). A field in neither table is never shown.
FIELD_LABELS = {
    "Product": {
        "category_id": _l("Category"),
        "brand": _l("Brand"),
        "featured": _l("Featured"),
        "meta_title_ru": _l("Title for search engines (ru)"),
        "meta_title_en": _l("Title for search engines (en)"),
        "meta_description_ru": _l("Description for search engines (ru)"),
        "meta_description_en": _l("Description for search engines (en)"),
        "variants": _l("Variants"),
    },
    "ProductVariant": {
        "sku": _l("SKU"),
        "size": _l("Size"),
        "colour": _l("Colour"),
        "old_price": _l("Old price"),
        "stock": _l("Stock"),
        "weight_grams": _l("Weight, g"),
        "reason": _l("Reason"),
    },
    "ProductImage": {"alt_ru": _l("Alt text (ru)"), "alt_en": _l("Alt text (en)")},
    "Category": {"parent_id": _l("Parent category")},
    "DeliveryMethod": {
        "code": _l("Code"),
        "free_from": _l("Free from"),
        "needs_address": _l("Needs an address"),
    },
    "Order": {
        "status": _l("Status"),
        "staff_note": _l("Staff note"),
        "customer_name": _l("Customer"),
        "email": _l("Email"),
        "phone": _l("Phone"),
        "shipping_address": _l("Address"),
        "payment_method": _l("Payment method"),
        "delivery_price": _l("Delivery price"),
        "total": _l("Total"),
        # a refund by line (shop.returns): how much went back, and why
        "amount": _l("Refunded amount"),
        "reason": _l("Reason"),
        # an edit before shipping (shop.orders.editing): the lines and delivery as they were
        "lines": _l("Lines"),
        "delivery_method_name": _l("Delivery"),
        "subtotal": _l("Subtotal"),
    },
    "Payment": {"status": _l("Status"), "amount": _l("Amount")},
    "User": {
        "email": _l("Email"),
        "full_name": _l("Full name"),
        "phone": _l("Phone"),
        "locale": _l("Language"),
        "roles": _l("Roles"),
    },
    "Role": {"name": _l("Name"), "description": _l("Description")},
    "Report": {"report": _l("Report"), "period": _l("Period")},
    "ReturnRequest": {"status": _l("Status")},
    "LegalVersion": {"document": _l("Document"), "number": _l("Version")},
}
# Labels of coded values that a feature above the audit log registers when it loads
# ({"report": {"daily": "Paid revenue by day", ...}}: shop.reports.exports).
VALUE_LABELS: dict[str, dict] = {}
# The same for one model's field ({("ReturnRequest", "status"): {...}}: shop.returns).
MODEL_VALUE_LABELS: dict[tuple[str, str], dict] = {}
MONEY_FIELDS = {
    "price",
    "old_price",
    "free_from",
    "amount",
    "total",
    "subtotal",
    "delivery_price",
}
YES_NO_FIELDS = {"active", "featured", "needs_address"}
LANGUAGE_NAMES = {"ru": "Русский", "en": "English"}
STOCK_REASONS = {"receive": _l("Goods received"), "adjust": _l("Correction")}
PAYMENT_STATUSES = {
    "pending": _l("Waiting for payment"),
    "succeeded": _l("Paid"),
    "failed": _l("Payment failed"),
    "refunded": _l("Refunded"),
    "cancelled": _l("Cancelled"),
    "needs_refund": _l("To be refunded"),
}
SHORT_TEXT = 120
EMPTY = "—"
TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Change:
    """One line of an entry: what (label), and the value before and after, as text."""

    label: str
    before: str | None
    after: str | None


def labels_for(object_type: str) -> dict:
    """The model's own fields first (an order's status before its note), then the common ones."""
    labels = dict(FIELD_LABELS.get(object_type, {}))
    for field, label in COMMON_LABELS.items():
        labels.setdefault(field, label)
    return labels


def visible_fields(object_type: str) -> set[str]:
    """The fields of `object_type` a person is shown (everything else in an entry is hidden)."""
    return set(labels_for(object_type))


def _load(raw) -> dict:
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def shorten(text: str, limit: int = SHORT_TEXT) -> str:
    """One line of at most `limit` characters: tags dropped, spaces squeezed, "…" when cut."""
    plain = " ".join(TAG.sub(" ", text).split())
    return plain if len(plain) <= limit else plain[: limit - 1].rstrip() + "…"


def _money(value) -> str:
    try:
        return format_money(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return shorten(str(value))


def _category(value) -> str:
    """A category by its name in the reader's language ("#12" once it is gone)."""
    try:
        obj = db.session.get(Category, int(value))
    except (TypeError, ValueError):
        obj = None
    return (obj.name or obj.name_ru) if obj is not None else f"#{value}"


def _label_of(labels: dict, value, enum=None) -> str:
    key = value
    if enum is not None:
        try:
            key = enum(value)
        except ValueError:
            return shorten(str(value))
    label = labels.get(key)
    return str(label) if label is not None else shorten(str(value))


def readable(object_type: str, field: str, value) -> str:
    """`value` of `field` as a person reads it (in the current request's language)."""
    if value is None or value == "":
        return EMPTY
    if (object_type, field) in MODEL_VALUE_LABELS:
        return _label_of(MODEL_VALUE_LABELS[object_type, field], value)
    if field in YES_NO_FIELDS:
        return _("Yes") if value else _("No")
    if field in MONEY_FIELDS:
        return _money(value)
    if field == "status":
        if object_type == "Payment":
            return _label_of(PAYMENT_STATUSES, value)
        return _label_of(STATUS_LABELS, value, OrderStatus)
    if field == "payment_method":
        return _label_of(PAYMENT_METHOD_LABELS, value, PaymentMethod)
    if field == "vat_rate":
        return _label_of(VAT_LABELS, value, VatRate)
    if field == "locale":
        return LANGUAGE_NAMES.get(value, str(value))
    if field == "reason":
        return _label_of(STOCK_REASONS, value)
    if field == "roles" and isinstance(value, list):
        return ", ".join(str(ROLE_LABELS.get(r, r)) for r in value) or EMPTY
    if field in VALUE_LABELS:
        return _label_of(VALUE_LABELS[field], value)
    if field in ("category_id", "parent_id"):
        return _category(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list | dict):
        return shorten(json.dumps(value, ensure_ascii=False))
    return shorten(str(value))


def _variant_changes(before, after) -> list[Change]:
    """A product's variants, compared variant by variant (by id): only what changed in each."""
    old = {v.get("id"): v for v in before or [] if isinstance(v, dict)}
    new = {v.get("id"): v for v in after or [] if isinstance(v, dict)}
    labels = labels_for("ProductVariant")
    changes = []
    for vid in sorted(set(old) | set(new), key=lambda k: (k is None, k or 0)):
        a, b = old.get(vid, {}), new.get(vid, {})
        name = _("Variant %(sku)s", sku=(b or a).get("sku") or "#" + str(vid))
        if not a or not b:
            word = _("added") if b else _("removed")
            changes.append(Change(f"{name}", None if b else word, word if b else None))
            continue
        for field, label in labels.items():
            if field in a or field in b:
                if a.get(field) != b.get(field):
                    changes.append(
                        Change(
                            f"{name}: {label}",
                            readable("ProductVariant", field, a.get(field)),
                            readable("ProductVariant", field, b.get(field)),
                        )
                    )
    return changes


def _visible_variants(variants) -> dict:
    shown = visible_fields("ProductVariant")
    return {
        v.get("id"): {k: x for k, x in v.items() if k in shown}
        for v in variants or []
        if isinstance(v, dict)
    }


def has_visible_change(object_type: str, before: dict | None, after: dict | None) -> bool:
    """True when a field a person is shown differs between `before` and `after`."""
    before, after = before or {}, after or {}
    for field in visible_fields(object_type):
        if field not in before and field not in after:
            continue
        if field == "variants":
            if _visible_variants(before.get(field)) != _visible_variants(after.get(field)):
                return True
        elif field not in before or field not in after or before[field] != after[field]:
            return True
    return False


def changes(entry) -> list[Change]:
    """The lines of `entry` a person reads, in the order of the model's labels.

    An update shows only fields whose value differs; a creation only its after values and a
    deletion only its before values; hidden fields and fields empty on both sides are skipped.
    """
    before, after = _load(entry.before), _load(entry.after)
    result = []
    for field, label in labels_for(entry.object_type).items():
        if field not in before and field not in after:
            continue
        old, new = before.get(field), after.get(field)
        if field == "variants":
            result += _variant_changes(old, new)
            continue
        if field in before and field in after and old == new:
            continue
        result.append(
            Change(
                str(label),
                readable(entry.object_type, field, old) if field in before else None,
                readable(entry.object_type, field, new) if field in after else None,
            )
        )
    # a field with nothing in it on either side (an empty note) says nothing
    return [c for c in result if {c.before, c.after} - {None, EMPTY}]
