"""The dashboard: sales by period in the shop's days, statuses, top products, low stock, chart."""

from datetime import datetime, timedelta
from decimal import Decimal

from admin.dashboard import daily_sales, local_midnight_utc, sales_chart, sales_since
from shop.core.models import utcnow
from shop.extensions import db as _db
from tests.admin.conftest import make_order
from tests.factories import VariantFactory


def test_figures_for_today_7_and_30_days(app, db):
    variant = VariantFactory(price=Decimal("1000.00"))
    now = utcnow()
    make_order(variant=variant, quantity=1)  # today: 1000 + 390 delivery
    old = make_order(variant=variant, quantity=2)  # 10 days ago: 2390
    old.created_at = now - timedelta(days=10)
    cancelled = make_order(variant=variant, quantity=5, status="cancelled")
    cancelled.created_at = now
    _db.session.commit()
    with app.test_request_context():
        today = sales_since(local_midnight_utc(0))
        month = sales_since(local_midnight_utc(29))
    assert today == {"revenue": Decimal("1390.00"), "count": 1, "average": Decimal("1390.00")}
    assert month["count"] == 2 and month["revenue"] == Decimal("3780.00")
    assert month["average"] == Decimal("1890.00")


def test_days_are_moscow_days(app, db):
    # 22:30 UTC is 01:30 the next day in Moscow (UTC+3).
    now = datetime(2026, 3, 10, 22, 30)
    with app.test_request_context():
        midnight = local_midnight_utc(0, now=now)
    assert midnight == datetime(2026, 3, 10, 21, 0)


def test_chart_is_local_svg(app, db):
    make_order()
    with app.test_request_context():
        series = daily_sales(30)
        svg = str(sales_chart(series))
    assert len(series) == 30 and series[-1][1] > 0
    assert svg.startswith("<svg") and svg.count("<rect") == 30
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_dashboard_page_by_role(client, db, as_role):
    make_order()
    VariantFactory(sku="ALMOST-GONE", stock=1)
    as_role("manager")
    body = client.get("/admin/").get_data(as_text=True)
    assert "<svg" in body and "ALMOST-GONE" in body
    assert "cdn" not in body.lower()
    client.get("/admin/")  # twice: nothing cached wrongly


def test_warehouse_dashboard_has_no_money(client, db, as_role):
    make_order()
    as_role("warehouse")
    body = client.get("/admin/").get_data(as_text=True)
    assert '<svg class="sales-chart"' not in body
    assert "kpi-revenue" not in body


def test_daily_sales_are_summed_per_moscow_day(app, db):
    variant = VariantFactory(price=Decimal("100.00"))
    late = make_order(variant=variant, quantity=1)  # 490.00 with delivery
    late.created_at = datetime(2026, 3, 10, 22, 30)  # 01:30 on 11 March in Moscow
    early = make_order(variant=variant, quantity=2)  # 590.00
    early.created_at = datetime(2026, 3, 10, 20, 30)  # 23:30 on 10 March in Moscow
    _db.session.commit()
    with app.test_request_context():
        series = dict(daily_sales(3, now=datetime(2026, 3, 11, 12, 0)))
    from datetime import date

    assert series == {
        date(2026, 3, 9): Decimal("0"),
        date(2026, 3, 10): Decimal("590.00"),
        date(2026, 3, 11): Decimal("490.00"),
    }


def test_managers_see_the_payments_to_refund(client, db, as_role):
    """Issue 13 item 5: money taken after the order was cancelled is on the manager's home page."""
    from tests.admin.test_orders import late_payment

    quiet = make_order(status="cancelled")
    order = make_order(status="cancelled", payment_method="card")
    late_payment(order)
    as_role("manager", locale="en")
    body = client.get("/admin/").get_data(as_text=True)
    assert 'class="table table-sm mb-0 payments-to-refund"' in body
    assert "1 payment to refund" in body
    section = body.split("payments-to-refund", 1)[1].split("</table>", 1)[0]
    assert order.number in section and quiet.number not in section
    assert f"/admin/orders/details/?id={order.id}" in section


def test_nothing_to_refund_shows_no_attention_box(client, db, as_role):
    make_order(status="cancelled", payment_method="card")
    as_role("manager")
    assert "payments-to-refund" not in client.get("/admin/").get_data(as_text=True)
