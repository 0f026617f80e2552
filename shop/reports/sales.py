"""Sales figures for the dashboard and its CSV exports: paid money only, in the shop's days.

An order is *paid* when the shop has its money:
* a prepaid order (card, СБП: every method but cash, shop.orders.services.is_prepaid) holds a
  payment in status "succeeded" (a refunded or to-be-refunded payment is not the shop's money);
* a cash-on-delivery order was marked paid (`paid_at`) or delivered (the courier took the cash);
and it is neither cancelled nor refunded. A card order that was never paid is not revenue.

Money is counted by the day the order was placed (what the order list and the funnel count
too), so a period's figures may still grow while its cash orders are being delivered.
Refunds by line (a partly refunded order, shop.returns) are subtracted: an order counts for its
total less what was given back of it (`kept_amount`).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import and_, case, exists, func, or_, select

from shop.accounts.models import User
from shop.cart.models import Cart, CartLine
from shop.catalog.models import Category, Product, ProductVariant
from shop.extensions import db
from shop.orders.models import STATUS_LABELS, Order, OrderLine, OrderStatus, PaymentMethod
from shop.payments.models import Payment, PaymentStatus
from shop.reports.periods import Period, change_percent, report_zone
from shop.returns.models import Refund, RefundStatus

CENT = Decimal("0.01")
# Orders that never turned into money, or gave it back.
NOT_SALES = (OrderStatus.CANCELLED.value, OrderStatus.REFUNDED.value)
# A cart with goods left alone this long counts as abandoned (ABANDONED_CART_HOURS).
DEFAULT_ABANDONED_HOURS = 24


def paid_condition():
    """SQL condition on Order: the shop has this order's money (see the module's docstring)."""
    succeeded = exists().where(
        Payment.order_id == Order.id, Payment.status == PaymentStatus.SUCCEEDED
    )
    cash = Order.payment_method == PaymentMethod.CASH.value
    return and_(
        Order.status.not_in(NOT_SALES),
        or_(
            and_(~cash, succeeded),
            and_(cash, or_(Order.paid_at.is_not(None), Order.status == OrderStatus.DELIVERED)),
        ),
    )


def kept_amount():
    """SQL: what the shop keeps of an order: its total less its succeeded refunds by line."""
    refunded = (
        select(func.coalesce(func.sum(Refund.amount), 0))
        .where(Refund.order_id == Order.id, Refund.status == RefundStatus.SUCCEEDED)
        .scalar_subquery()
    )
    return Order.total - refunded


def _in(period: Period, column=Order.created_at):
    return and_(column >= period.start, column < period.end)


@dataclass(frozen=True)
class Summary:
    revenue: Decimal
    paid: int  # paid orders
    placed: int  # every order placed, paid or not, cancelled included

    @property
    def average(self) -> Decimal:
        """Average paid order value (zero without paid orders)."""
        return (self.revenue / self.paid).quantize(CENT) if self.paid else Decimal("0.00")


def summary(period: Period) -> Summary:
    paid = paid_condition()
    revenue, paid_count, placed = db.session.execute(
        select(
            func.coalesce(func.sum(case((paid, kept_amount()), else_=0)), 0),
            func.coalesce(func.sum(case((paid, 1), else_=0)), 0),
            func.count(Order.id),
        ).where(_in(period))
    ).one()
    return Summary(Decimal(revenue or 0).quantize(CENT), int(paid_count or 0), int(placed or 0))


@dataclass(frozen=True)
class Comparison:
    """This period's figures, the previous period's, and each change in percent (None: there
    was nothing to compare with)."""

    current: Summary
    previous: Summary

    def change(self, name: str) -> float | None:
        return change_percent(getattr(self.current, name), getattr(self.previous, name))


def compare(period: Period) -> Comparison:
    return Comparison(summary(period), summary(period.previous()))


def _local_day(column, period: Period):
    """SQL: the local date (periods.report_zone) of a naive UTC `column`, shifted by the zone's
    offset at the period's end (Moscow keeps one offset all year; elsewhere a day next to a
    clock change may be an hour off, which a sales chart can bear)."""
    end = period.end.replace(tzinfo=None)
    offset = report_zone().utcoffset(end) or timedelta(0)
    if db.session.get_bind().dialect.name == "postgresql":
        return func.date(column + offset)
    return func.date(column, f"{int(offset.total_seconds()):+d} seconds")


def daily_revenue(period: Period) -> list[tuple[date, Decimal]]:
    """[(local date, paid revenue)] for every day of the period, empty days as zero."""
    day = _local_day(Order.created_at, period)
    rows = db.session.execute(
        select(day, func.sum(kept_amount())).where(_in(period), paid_condition()).group_by(day)
    ).all()
    totals = {d: Decimal("0.00") for d in period.dates()}
    for value, total in rows:
        key = value if isinstance(value, date) else date.fromisoformat(str(value))
        if key in totals:
            totals[key] += Decimal(total or 0).quantize(CENT)
    return sorted(totals.items())


def by_status(period: Period) -> list[tuple[str, str, int]]:
    """[(status code, label, orders placed in the period now in that status)], every status."""
    counts = dict(
        db.session.execute(
            select(Order.status, func.count(Order.id)).where(_in(period)).group_by(Order.status)
        ).all()
    )
    return [(s.value, STATUS_LABELS[s], counts.get(s.value, 0)) for s in OrderStatus]


def top_products(period: Period, limit: int = 10) -> list[tuple[str, int, Decimal]]:
    """[(name, units, paid revenue)] of the products that brought the most money.

    Lines are grouped by their variant's product, named in the reader's language (a line whose
    variant is gone is grouped by its snapshot name).
    """
    orphan = case((ProductVariant.product_id.is_(None), OrderLine.product_name))
    revenue = func.sum(OrderLine.line_total)
    rows = db.session.execute(
        select(
            ProductVariant.product_id,
            orphan.label("orphan"),
            func.sum(OrderLine.quantity).label("units"),
            revenue.label("revenue"),
        )
        .join(Order, Order.id == OrderLine.order_id)
        .outerjoin(ProductVariant, ProductVariant.id == OrderLine.variant_id)
        .where(_in(period), paid_condition())
        .group_by(ProductVariant.product_id, orphan)
        .order_by(revenue.desc(), ProductVariant.product_id, orphan)
        .limit(limit)
    ).all()
    ids = [r.product_id for r in rows if r.product_id is not None]
    products = (
        {p.id: p for p in db.session.scalars(select(Product).where(Product.id.in_(ids)))}
        if ids
        else {}
    )
    top = []
    for row in rows:
        product = products.get(row.product_id)
        name = (product.name or product.name_ru) if product is not None else row.orphan
        top.append((name or "", int(row.units), Decimal(row.revenue or 0).quantize(CENT)))
    return top


def top_categories(period: Period, limit: int = 10) -> list[tuple[str, int, Decimal]]:
    """[(category name, units, paid revenue)] by the category each sold product is in now."""
    revenue = func.sum(OrderLine.line_total)
    rows = db.session.execute(
        select(
            Product.category_id,
            func.sum(OrderLine.quantity).label("units"),
            revenue.label("revenue"),
        )
        .join(Order, Order.id == OrderLine.order_id)
        .join(ProductVariant, ProductVariant.id == OrderLine.variant_id)
        .join(Product, Product.id == ProductVariant.product_id)
        .where(_in(period), paid_condition())
        .group_by(Product.category_id)
        .order_by(revenue.desc(), Product.category_id)
        .limit(limit)
    ).all()
    ids = [r.category_id for r in rows]
    names = {
        c.id: (c.name or c.name_ru)
        for c in db.session.scalars(select(Category).where(Category.id.in_(ids)))
    }
    return [
        (names.get(r.category_id, ""), int(r.units), Decimal(r.revenue or 0).quantize(CENT))
        for r in rows
    ]


@dataclass(frozen=True)
class AbandonedCart:
    cart_id: int
    email: str | None  # None: a guest's cart
    units: int
    value: Decimal  # at today's prices
    last_activity: datetime


def abandoned_carts(hours: int, now: datetime, limit: int = 20):
    """(how many carts, their value, the most recent `limit` of them): carts holding goods that
    nobody touched for `hours` hours. Placing an order empties its cart, so a cart with lines
    is one that was not ordered."""
    last = func.max(CartLine.updated_at)
    value = func.sum(CartLine.quantity * ProductVariant.price)
    base = (
        select(
            Cart.id.label("cart_id"),
            User.email.label("email"),
            func.sum(CartLine.quantity).label("units"),
            value.label("value"),
            last.label("last_activity"),
        )
        .join(CartLine, CartLine.cart_id == Cart.id)
        .join(ProductVariant, ProductVariant.id == CartLine.variant_id)
        .outerjoin(User, User.id == Cart.user_id)
        .group_by(Cart.id, User.email)
        .having(last < now - timedelta(hours=hours))
    ).subquery()
    count, total = db.session.execute(
        select(func.count(base.c.cart_id), func.coalesce(func.sum(base.c.value), 0))
    ).one()
    rows = db.session.execute(
        select(base).order_by(base.c.last_activity.desc(), base.c.cart_id.desc()).limit(limit)
    ).all()
    carts = [
        AbandonedCart(
            r.cart_id,
            r.email,
            int(r.units),
            Decimal(r.value or 0).quantize(CENT),
            r.last_activity,
        )
        for r in rows
    ]
    return int(count or 0), Decimal(total or 0).quantize(CENT), carts


@dataclass(frozen=True)
class Funnel:
    """Carts started in the period → orders placed → orders paid.

    "Checkout started" is not recorded anywhere, so that step is left out; a signed-in
    shopper keeps one cart for good, so carts count first carts, not visits.
    """

    carts: int
    placed: int
    paid: int

    def rate(self, part: int, whole: int) -> float | None:
        return part / whole * 100 if whole else None


def funnel(period: Period) -> Funnel:
    carts = db.session.scalar(select(func.count(Cart.id)).where(_in(period, Cart.created_at)))
    totals = summary(period)
    return Funnel(int(carts or 0), totals.placed, totals.paid)
