"""Every dashboard report as CSV for a spreadsheet, each export written to the audit log.

Headers are in the reader's language; amounts are plain numbers (a spreadsheet sums them) in
the shop's currency, dates ISO in the reader's time zone (the period's, see periods.py). Cells
go through shop.core.csvfiles, so a product or an e-mail starting with "=" is never run as a
formula.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from shop.audit import reading
from shop.audit import services as audit
from shop.core.csvfiles import csv_bytes
from shop.extensions import db
from shop.inventory.queries import low_stock_threshold, low_stock_variants
from shop.reports import sales
from shop.reports.periods import Period, report_zone

REPORT_TITLES = {
    "summary": _l("Sales summary"),
    "daily": _l("Paid revenue by day"),
    "status": _l("Orders by status"),
    "products": _l("Top products"),
    "categories": _l("Top categories"),
    "funnel": _l("Funnel"),
    "abandoned": _l("Abandoned carts"),
    "low_stock": _l("Low stock"),
}
# The audit log names an export by its report's title (shop.audit.reading reads these).
reading.VALUE_LABELS["report"] = REPORT_TITLES
# Exports of one list can be long; the dashboard shows the first rows, a file has them all.
EXPORT_LIMIT = 10_000


class UnknownReport(LookupError):
    """No report by that name."""


def _percent(value) -> str:
    return "" if value is None else f"{value:.1f}"


def _local(value: datetime) -> str:
    local = value.replace(tzinfo=ZoneInfo("UTC")).astimezone(report_zone())
    return local.strftime("%Y-%m-%d %H:%M")


def _summary(period, now):
    figures = sales.compare(period)
    header = [_("Figure"), _("This period"), _("Previous period"), _("Change, %")]
    rows = [
        [
            label,
            getattr(figures.current, name),
            getattr(figures.previous, name),
            _percent(figures.change(name)),
        ]
        for name, label in (
            ("revenue", _("Paid revenue")),
            ("paid", _("Paid orders")),
            ("average", _("Average order value")),
            ("placed", _("Orders placed")),
        )
    ]
    return header, rows


def _daily(period, now):
    return [_("Date"), _("Paid revenue")], [
        [day.isoformat(), amount] for day, amount in sales.daily_revenue(period)
    ]


def _status(period, now):
    return [_("Status"), _("Code"), _("Orders")], [
        [str(label), code, count] for code, label, count in sales.by_status(period)
    ]


def _products(period, now):
    return [_("Product"), _("Sold"), _("Paid revenue")], [
        list(row) for row in sales.top_products(period, limit=EXPORT_LIMIT)
    ]


def _categories(period, now):
    return [_("Category"), _("Sold"), _("Paid revenue")], [
        list(row) for row in sales.top_categories(period, limit=EXPORT_LIMIT)
    ]


def _funnel(period, now):
    steps = sales.funnel(period)
    header = [_("Step"), _("Count"), _("Share of carts, %")]
    rows = [
        [label, value, _percent(steps.rate(value, steps.carts))]
        for label, value in (
            (_("Carts started"), steps.carts),
            (_("Orders placed"), steps.placed),
            (_("Orders paid"), steps.paid),
        )
    ]
    return header, rows


def _abandoned(period, now):
    hours = abandoned_hours()
    _count, _value, carts = sales.abandoned_carts(hours, now, limit=EXPORT_LIMIT)
    header = [_("Cart"), _("Customer"), _("Units"), _("Value"), _("Last activity")]
    rows = [
        [c.cart_id, c.email or _("guest"), c.units, c.value, _local(c.last_activity)] for c in carts
    ]
    return header, rows


def _low_stock(period, now):
    variants = low_stock_variants(low_stock_threshold(), limit=EXPORT_LIMIT)
    return [_("SKU"), _("Product"), _("Stock")], [
        [v.sku, v.product.name or v.product.name_ru, v.stock] for v in variants
    ]


BUILDERS = {
    "summary": _summary,
    "daily": _daily,
    "status": _status,
    "products": _products,
    "categories": _categories,
    "funnel": _funnel,
    "abandoned": _abandoned,
    "low_stock": _low_stock,
}


def abandoned_hours() -> int:
    """Hours after which a cart with goods counts as abandoned (ABANDONED_CART_HOURS)."""
    return int(current_app.config.get("ABANDONED_CART_HOURS", sales.DEFAULT_ABANDONED_HOURS))


def export_report(name: str, period: Period, now: datetime, *, actor=None, ip=None) -> bytes:
    """The report `name` for `period` as CSV; records the export (which report, which period,
    how many rows) in the audit log and commits. Raises UnknownReport for a name not in
    REPORT_TITLES."""
    builder = BUILDERS.get(name)
    if builder is None:
        raise UnknownReport(name)
    header, rows = builder(period, now)
    body = csv_bytes(header, rows)
    try:
        audit.record(
            "export",
            "Report",
            name,
            after={
                "report": name,
                "period": f"{period.first.isoformat()} – {period.last.isoformat()}",
                "rows": len(rows),
            },
            actor=actor,
            ip=ip,
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return body
