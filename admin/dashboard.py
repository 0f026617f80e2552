"""The back-office home: sales figures, orders by status, top products, low stock, a chart,
and for managers what needs their attention: money to refund (a payment that arrived after its
order was cancelled or expired, see shop.payments.services.record_success).

Days are the shop's days (BABEL_DEFAULT_TIMEZONE), not UTC ones: an order placed at 01:00 in
Moscow belongs to that Moscow day. The chart is plain SVG drawn here, so nothing is fetched
from a CDN and it prints.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import current_app
from flask_admin import AdminIndexView, expose
from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import case, func, select

from admin.base import MANAGERS, RoleRequired, has_any_role
from shop.core.models import utcnow
from shop.core.money import format_money
from shop.extensions import db
from shop.inventory.queries import low_stock_threshold, low_stock_variants
from shop.orders.models import STATUS_LABELS, Order, OrderLine, OrderStatus

# Orders that never turned into money do not count as sales.
NOT_SALES = (OrderStatus.CANCELLED.value, OrderStatus.REFUNDED.value)


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Moscow"))


def local_midnight_utc(days_ago: int, now=None) -> datetime:
    """Naive UTC of the shop-local midnight `days_ago` days before today."""
    zone = _zone()
    now = now or utcnow()
    local_today = now.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone).date()
    start = datetime.combine(local_today - timedelta(days=days_ago), time(0), tzinfo=zone)
    return start.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def sales_since(since: datetime) -> dict:
    revenue, count = db.session.execute(
        select(func.coalesce(func.sum(Order.total), 0), func.count(Order.id)).where(
            Order.created_at >= since, Order.status.not_in(NOT_SALES)
        )
    ).one()
    revenue = Decimal(revenue or 0).quantize(Decimal("0.01"))
    average = (revenue / count).quantize(Decimal("0.01")) if count else Decimal("0.00")
    return {"revenue": revenue, "count": count, "average": average}


def orders_by_status() -> list[tuple[str, str, int]]:
    counts = dict(
        db.session.execute(select(Order.status, func.count(Order.id)).group_by(Order.status)).all()
    )
    return [(s.value, STATUS_LABELS[s], counts.get(s.value, 0)) for s in OrderStatus]


def top_products(since: datetime, limit: int = 5) -> list[tuple[str, int, Decimal]]:
    """[(name, quantity, revenue)] of the best sellers, by product.

    Lines are grouped by their variant's product, so an order placed in English and one placed
    in Russian count for the same product, named in the reader's language; a line whose variant
    is gone is grouped by its snapshot name.
    """
    from shop.catalog.models import Product, ProductVariant

    orphan_name = case((ProductVariant.product_id.is_(None), OrderLine.product_name))
    quantity = func.sum(OrderLine.quantity)
    stmt = (
        select(
            ProductVariant.product_id,
            orphan_name.label("orphan_name"),
            quantity.label("quantity"),
            func.sum(OrderLine.line_total).label("revenue"),
        )
        .join(Order, Order.id == OrderLine.order_id)
        .outerjoin(ProductVariant, ProductVariant.id == OrderLine.variant_id)
        .where(Order.created_at >= since, Order.status.not_in(NOT_SALES))
        .group_by(ProductVariant.product_id, orphan_name)
        .order_by(quantity.desc(), ProductVariant.product_id, orphan_name)
        .limit(limit)
    )
    rows = db.session.execute(stmt).all()
    ids = [row.product_id for row in rows if row.product_id is not None]
    products = (
        {p.id: p for p in db.session.scalars(select(Product).where(Product.id.in_(ids)))}
        if ids
        else {}
    )
    top = []
    for row in rows:
        product = products.get(row.product_id)
        name = (product.name if product is not None else "") or row.orphan_name or ""
        top.append((name, int(row.quantity), Decimal(row.revenue or 0)))
    return top


def daily_sales(days: int = 30, now=None) -> list[tuple]:
    """[(local date, revenue)] for the last `days` days, today last, empty days as zero.

    Summed by the database, per shop-local day: the UTC timestamps are shifted by the zone's
    current offset (Moscow has had no daylight saving since 2014; elsewhere a day next to a
    clock change may be an hour off, which a sales chart can bear).
    """
    zone = _zone()
    now = now or utcnow()
    since = local_midnight_utc(days - 1, now)
    offset = now.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone).utcoffset() or timedelta(0)
    if db.session.get_bind().dialect.name == "postgresql":
        day = func.date(Order.created_at + offset)
    else:
        day = func.date(Order.created_at, f"{int(offset.total_seconds()):+d} seconds")
    rows = db.session.execute(
        select(day, func.sum(Order.total))
        .where(Order.created_at >= since, Order.status.not_in(NOT_SALES))
        .group_by(day)
    ).all()
    first = since.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone).date()
    totals = {first + timedelta(days=i): Decimal("0") for i in range(days)}
    for value, total in rows:
        key = value if isinstance(value, date) else date.fromisoformat(str(value))
        if key in totals:
            totals[key] += Decimal(total or 0)
    return sorted(totals.items())


def sales_chart(series, width: int = 720, height: int = 220) -> Markup:
    """An SVG bar chart of (date, amount) pairs, with a title per bar for the exact value."""
    pad_left, pad_bottom, pad_top = 8, 24, 12
    plot_h = height - pad_bottom - pad_top
    top = max((amount for _day, amount in series), default=Decimal("0"))
    n = max(len(series), 1)
    slot = (width - pad_left) / n
    bar_w = max(slot * 0.7, 1)
    parts = [
        Markup(
            '<svg class="sales-chart" viewBox="0 0 {w} {h}" role="img"'
            ' aria-labelledby="chart-title"'
            ' xmlns="http://www.w3.org/2000/svg">'
        ).format(w=width, h=height),
        Markup('<title id="chart-title">{}</title>').format(_("Daily sales, last 30 days")),
        Markup('<line class="axis" x1="{x}" y1="{y}" x2="{x2}" y2="{y}"></line>').format(
            x=pad_left, y=pad_top + plot_h, x2=width
        ),
    ]
    for i, (day, amount) in enumerate(series):
        h = float(amount / top) * plot_h if top > 0 else 0
        x = pad_left + i * slot + (slot - bar_w) / 2
        y = pad_top + plot_h - h
        parts.append(
            Markup(
                '<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}">'
                "<title>{label}: {value}</title></rect>"
            ).format(
                x=x,
                y=y,
                w=bar_w,
                h=max(h, 0.5 if amount > 0 else 0),
                label=format_date(day, "d MMM"),
                value=format_money(amount),
            )
        )
        if i % 5 == 0 or i == len(series) - 1:
            parts.append(
                Markup(
                    '<text class="tick" x="{x:.1f}" y="{y}" text-anchor="middle">{t}</text>'
                ).format(x=x + bar_w / 2, y=height - 6, t=format_date(day, "d.MM"))
            )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def dashboard_context() -> dict:
    threshold = low_stock_threshold()
    views = current_app.extensions["shop_admin"]._views
    orders_view = next(v for v in views if v.endpoint == "admin_orders")
    context = {
        "status_filter": orders_view.filter_arg("status"),
        "by_status": orders_by_status(),
        "low_stock": low_stock_variants(threshold, limit=10),
        "threshold": threshold,
        "show_sales": has_any_role(*MANAGERS),
    }
    if context["show_sales"]:
        from shop.payments.services import payments_to_refund

        context["refund_count"], context["to_refund"] = payments_to_refund(limit=10)
        context["periods"] = [
            (_("Today"), sales_since(local_midnight_utc(0))),
            (_("7 days"), sales_since(local_midnight_utc(6))),
            (_("30 days"), sales_since(local_midnight_utc(29))),
        ]
        context["top"] = top_products(local_midnight_utc(29))
        context["chart"] = sales_chart(daily_sales(30))
    return context


class StaffIndexView(RoleRequired, AdminIndexView):
    """The back office's home: the dashboard (money only for those who may see it)."""

    @expose("/")
    def index(self):
        return self.render("admin/dashboard.html", **dashboard_context())
