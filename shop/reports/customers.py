"""One customer's figures for their page in the back office: their orders, how many, and what
they brought the shop.

Lifetime value counts what the sales reports count (shop.reports.sales): paid orders only, each
for its total less what was refunded of it, so a customer's value and the dashboard's revenue
never disagree about what "paid" means.
"""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, func, select

from shop.extensions import db
from shop.orders.models import Order
from shop.reports.sales import CENT, kept_amount, paid_condition


@dataclass(frozen=True)
class CustomerValue:
    orders: int  # every order placed, paid or not, cancelled included
    paid: int  # paid orders
    lifetime_value: Decimal  # paid money kept: totals of paid orders less their refunds


def customer_value(user_id: int) -> CustomerValue:
    paid = paid_condition()
    placed, paid_count, value = db.session.execute(
        select(
            func.count(Order.id),
            func.coalesce(func.sum(case((paid, 1), else_=0)), 0),
            func.coalesce(func.sum(case((paid, kept_amount()), else_=0)), 0),
        ).where(Order.user_id == user_id)
    ).one()
    return CustomerValue(int(placed or 0), int(paid_count or 0), Decimal(value or 0).quantize(CENT))


def customer_orders(user_id: int, limit: int = 200) -> list[Order]:
    """The customer's orders, newest first (the last `limit`: the order list has the rest)."""
    return list(
        db.session.scalars(
            select(Order)
            .where(Order.user_id == user_id)
            .order_by(Order.created_at.desc(), Order.id.desc())
            .limit(limit)
        )
    )
