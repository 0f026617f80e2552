"""The dashboard and its reports (issue 19 item 4): paid revenue only, periods in the shop's
days with the period before, a chart with axes and values, top products and categories, the
funnel, abandoned carts, CSV exports written to the audit log, and who may see what."""

import csv
import io
import json
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from admin.dashboard import change_text, sales_chart
from shop.audit.models import AuditEntry
from shop.cart.models import Cart, CartLine
from shop.core.models import utcnow
from shop.extensions import db as _db
from shop.payments.models import Payment
from shop.reports import periods, sales
from shop.reports.periods import Period
from tests.admin.conftest import make_order
from tests.factories import CategoryFactory, ProductFactory, UserFactory, VariantFactory

# 22:30 UTC on 10 March is 01:30 on 11 March in Moscow (UTC+3).
NOW = datetime(2026, 3, 10, 22, 30)


def pay(order, status="succeeded"):
    _db.session.add(
        Payment(
            order_id=order.id,
            provider="card",
            amount=order.total,
            status=status,
            provider_reference=f"ref-{order.number}-{status}",
            idempotency_key=f"{order.number}-{status}",
        )
    )
    _db.session.commit()


def placed(order, when):
    order.created_at = when
    _db.session.commit()
    return order


def period_of(first, last):
    return Period(date.fromisoformat(first), date.fromisoformat(last))


def test_paid_revenue_excludes_unpaid_card_orders(app, db):
    variant = VariantFactory(price=Decimal("1000.00"))  # 1 unit: 1390.00 with delivery
    when = datetime(2026, 3, 10, 12, 0)
    paid_card = placed(make_order(variant=variant, quantity=1, payment_method="card"), when)
    pay(paid_card)
    placed(make_order(variant=variant, quantity=2, payment_method="card"), when)
    pending_card = placed(make_order(variant=variant, quantity=3, payment_method="card"), when)
    pay(pending_card, "pending")
    refunded_card = placed(make_order(variant=variant, quantity=4, payment_method="card"), when)
    pay(refunded_card, "refunded")
    cancelled_paid = placed(
        make_order(variant=variant, quantity=5, payment_method="card", status="cancelled"), when
    )
    pay(cancelled_paid)
    placed(make_order(variant=variant, quantity=6), when)  # cash, not delivered yet
    placed(make_order(variant=variant, quantity=1, status="delivered"), when)  # cash collected
    placed(make_order(variant=variant, quantity=2, paid_at=when), when)  # cash marked paid
    with app.test_request_context():
        figures = sales.summary(period_of("2026-03-10", "2026-03-10"))
    # paid: the card order (1390), the delivered cash order (1390), the cash one marked paid (2390)
    assert figures.revenue == Decimal("5170.00")
    assert figures.paid == 3 and figures.placed == 8
    assert figures.average == Decimal("1723.33")


def test_refunds_by_line_are_taken_off_the_revenue(app, db):
    from shop.returns.models import Refund

    variant = VariantFactory(price=Decimal("1000.00"))
    when = datetime(2026, 3, 10, 12, 0)
    order = placed(make_order(variant=variant, quantity=2, payment_method="card",
                              status="partly_refunded"), when)
    pay(order)
    for amount, status in (("1000.00", "succeeded"), ("300.00", "failed")):
        _db.session.add(Refund(order_id=order.id, method="card", amount=Decimal(amount),
                               status=status, reason="returned"))
    _db.session.commit()
    day = period_of("2026-03-10", "2026-03-10")
    with app.test_request_context():
        figures = sales.summary(day)
        chart = dict(sales.daily_revenue(day))
    kept = order.total - Decimal("1000.00")  # the failed refund gave nothing back
    assert figures.revenue == kept and figures.paid == 1
    assert chart[date(2026, 3, 10)] == kept


def test_presets_and_custom_periods_are_shop_days(app):
    with app.test_request_context():
        today = periods.parse({"period": "today"}, now=NOW)
        week = periods.parse({"period": "7d"}, now=NOW)
        quarter = periods.parse({"period": "90d"}, now=NOW)
        default = periods.parse({}, now=NOW)
        odd = periods.parse({"period": "forever"}, now=NOW)
        custom = periods.parse({"period": "custom", "from": "2026-02-01", "to": "2026-02-28"})
        assert (today.first, today.last) == (date(2026, 3, 11), date(2026, 3, 11))
        assert today.start == datetime(2026, 3, 10, 21, 0)  # Moscow midnight in UTC
        assert today.end == datetime(2026, 3, 11, 21, 0)
        assert (week.first, week.last, week.days) == (date(2026, 3, 5), date(2026, 3, 11), 7)
        assert quarter.days == 90 and default.days == 30 and odd.days == 30
        assert (custom.first, custom.last, custom.days) == (date(2026, 2, 1), date(2026, 2, 28), 28)
        before = week.previous()
        assert (before.first, before.last) == (date(2026, 2, 26), date(2026, 3, 4))
        assert custom.previous().first == date(2026, 1, 4)  # 28 days before 1 February
        for bad in (
            {"period": "custom", "from": "2026-02-30", "to": "2026-03-01"},
            {"period": "custom", "from": "2026-03-02", "to": "2026-03-01"},
            {"period": "custom", "from": "", "to": "2026-03-01"},
            {"period": "custom", "from": "2020-01-01", "to": "2026-03-01"},
        ):
            with pytest.raises(periods.BadPeriod):
                periods.parse(bad)


def test_comparison_with_the_previous_period(app, db):
    variant = VariantFactory(price=Decimal("610.00"))  # 1 unit: 1000.00 with delivery
    for day in (8, 9, 10):  # this period: 3 days, 8–10 March (Moscow)
        placed(
            make_order(variant=variant, quantity=1, status="delivered"), datetime(2026, 3, day, 9)
        )
    placed(make_order(variant=variant, quantity=1, status="delivered"), datetime(2026, 3, 6, 9))
    placed(make_order(variant=variant, quantity=1, status="delivered"), datetime(2026, 3, 5, 9))
    placed(make_order(variant=variant, quantity=1, status="delivered"), datetime(2026, 3, 4, 9))
    with app.test_request_context():
        figures = sales.compare(period_of("2026-03-08", "2026-03-10"))
        assert figures.current.revenue == Decimal("3000.00")
        assert figures.previous.revenue == Decimal("2000.00")  # 5–7 March; the 4th is outside
        assert figures.change("revenue") == pytest.approx(50.0)
        assert figures.change("average") == pytest.approx(0.0)
        assert periods.change_percent(Decimal(50), Decimal(100)) == pytest.approx(-50.0)
        assert periods.change_percent(Decimal(50), Decimal(0)) is None
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert change_text(50.0) == "+50 %" and change_text(-12.34) == "−12.3 %"
        assert change_text(None) == "—"


def test_daily_revenue_is_summed_per_moscow_day(app, db):
    variant = VariantFactory(price=Decimal("100.00"))
    placed(make_order(variant=variant, quantity=1, status="delivered"), NOW)  # 11 March, 490
    placed(make_order(variant=variant, quantity=2, status="delivered"), NOW - timedelta(hours=2))
    placed(make_order(variant=variant, quantity=5), NOW)  # cash, not paid: no revenue
    with app.test_request_context():
        series = dict(sales.daily_revenue(period_of("2026-03-09", "2026-03-11")))
    assert series == {
        date(2026, 3, 9): Decimal("0.00"),
        date(2026, 3, 10): Decimal("590.00"),
        date(2026, 3, 11): Decimal("490.00"),
    }


def test_chart_has_axes_values_and_a_text_alternative(app):
    series = [(date(2026, 3, 1) + timedelta(days=i), Decimal(i * 1000)) for i in range(7)]
    with app.test_request_context(headers={"Accept-Language": "en"}):
        svg = str(sales_chart(series, "Paid revenue"))
        long = str(
            sales_chart(
                [(date(2026, 1, 1) + timedelta(days=i), Decimal(1)) for i in range(90)],
                "Paid revenue",
            )
        )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert '<title id="chart-title">Paid revenue</title>' in svg and "<desc" in svg
    assert svg.count("<rect") == 7
    assert ">6,000</text>" in svg  # the value on its bar
    assert ">10,000</text>" in svg and ">0</text>" in svg  # the y axis' top and bottom
    assert ">1.03</text>" in svg and "Paid revenue, ₽" in svg  # a date, the axis title
    assert long.count("<rect") == 13  # 90 days as weeks
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_top_products_and_categories_by_paid_revenue(app, db):
    cups = CategoryFactory(name_ru="Посуда", name_en="Tableware")
    mug = VariantFactory(product=ProductFactory(category=cups, name_en="Mug"), price=Decimal(500))
    pot = VariantFactory(product=ProductFactory(name_en="Pot"), price=Decimal(300))
    when = datetime(2026, 3, 10, 9)
    placed(make_order(variant=mug, quantity=2, status="delivered"), when)
    placed(make_order(variant=pot, quantity=5, status="delivered"), when)
    placed(make_order(variant=pot, quantity=50, payment_method="card"), when)  # never paid
    with app.test_request_context(headers={"Accept-Language": "en"}):
        period = period_of("2026-03-10", "2026-03-10")
        products = sales.top_products(period)
        categories = sales.top_categories(period)
    assert products == [("Pot", 5, Decimal("1500.00")), ("Mug", 2, Decimal("1000.00"))]
    assert categories[1] == ("Tableware", 2, Decimal("1000.00"))


def test_abandoned_carts_and_the_funnel(app, db):
    variant = VariantFactory(price=Decimal("250.00"))
    user = UserFactory(email="slow@example.com")
    old, fresh, empty = Cart(user_id=user.id), Cart(token="fresh"), Cart(token="empty")
    _db.session.add_all([old, fresh, empty])
    _db.session.flush()
    now = utcnow()
    _db.session.add_all(
        [
            CartLine(
                cart_id=old.id,
                variant_id=variant.id,
                quantity=3,
                updated_at=now - timedelta(hours=30),
            ),
            CartLine(
                cart_id=fresh.id,
                variant_id=variant.id,
                quantity=1,
                updated_at=now - timedelta(hours=1),
            ),
        ]
    )
    _db.session.commit()
    make_order(variant=variant, quantity=1, status="delivered")
    make_order(variant=variant, quantity=1)
    with app.test_request_context():
        count, value, carts = sales.abandoned_carts(24, now)
        steps = sales.funnel(periods.preset("today"))
    assert (count, value) == (1, Decimal("750.00"))
    assert [(c.email, c.units) for c in carts] == [("slow@example.com", 3)]
    assert (steps.carts, steps.placed, steps.paid) == (3, 2, 1)
    assert steps.rate(steps.paid, steps.carts) == pytest.approx(100 / 3)


def read_csv(response):
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def test_csv_export_content_and_its_audit_entry(client, db, as_role):
    variant = VariantFactory(product=ProductFactory(name_en="=HYPERLINK(1)"), price=Decimal(100))
    placed(make_order(variant=variant, quantity=2, status="delivered"), datetime(2026, 3, 10, 9))
    manager = as_role("manager", locale="en")
    url = "/admin/reports/products.csv?period=custom&from=2026-03-01&to=2026-03-31"
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "products-2026-03-01-2026-03-31.csv" in response.headers["Content-Disposition"]
    assert read_csv(response) == [
        ["Product", "Sold", "Paid revenue"],
        ["'=HYPERLINK(1)", "2", "200.00"],
    ]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export"))
    assert (entry.object_type, entry.object_id, entry.actor_id) == (
        "Report",
        "products",
        manager.id,
    )
    assert json.loads(entry.after) == {
        "report": "products",
        "period": "2026-03-01 – 2026-03-31",
        "rows": 1,
    }
    summary = read_csv(
        client.get("/admin/reports/summary.csv?period=custom&from=2026-03-10&to=2026-03-10")
    )
    assert summary[1] == ["Paid revenue", "590.00", "0.00", ""]  # with its delivery
    # the audit log names the export in words
    as_role("admin", locale="en")
    log = client.get("/admin/audit/").get_data(as_text=True)
    assert "Report: Top products" in re.sub(r"<[^>]+>", "", log)


@pytest.mark.parametrize(
    ("role", "report", "status"),
    [
        ("manager", "abandoned", 200),
        ("admin", "funnel", 200),
        ("warehouse", "low_stock", 200),
        ("warehouse", "status", 200),
        ("warehouse", "summary", 403),
        ("warehouse", "products", 403),
        ("customer", "low_stock", 403),
        ("manager", "no-such-report", 400),
    ],
)
def test_who_may_download_which_report(client, db, as_role, role, report, status):
    as_role(role)
    assert client.get(f"/admin/reports/{report}.csv?period=7d").status_code == status
    written = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()
    assert len(written) == (1 if status == 200 else 0)


def test_a_bad_period_is_explained_not_a_500(client, db, as_role):
    as_role("manager", locale="en")
    body = client.get("/admin/?period=custom&from=2026-03-05&to=2026-03-01").get_data(as_text=True)
    assert "The period ends before it starts." in body
    assert "The period ends before it starts." in client.get(
        "/admin/reports/daily.csv?period=custom&from=2026-03-05&to=2026-03-01"
    ).get_data(as_text=True)
    assert client.get("/admin/?period=custom&from=x&to=y").status_code == 200


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_dashboard_page_for_managers(client, db, as_role, lang):
    variant = VariantFactory(sku="ALMOST-GONE", stock=1, price=Decimal(1000))
    make_order(variant=variant, quantity=1, status="delivered")
    unpaid = make_order(variant=variant, quantity=7, payment_method="card")
    as_role("manager", locale=lang)
    body = client.get("/admin/?period=7d").get_data(as_text=True)
    assert '<svg class="sales-chart"' in body and "ALMOST-GONE" in body
    assert 'aria-current="page"' in body and "/admin/reports/summary.csv?period=7d" in body
    revenue = re.search(r'kpi-revenue">([^<]*)<', body).group(1).replace("\xa0", " ")
    assert revenue == {"ru": "1 390,00 ₽", "en": "₽1,390.00"}[lang]
    assert unpaid.number not in body
    # everything served from here: no link or script from another host (a CDN)
    assert not re.search(r'(?:src|href)="(?:https?:)?//', body)
    for name in (
        "summary",
        "daily",
        "status",
        "funnel",
        "abandoned",
        "products",
        "categories",
        "low_stock",
    ):
        assert f"/admin/reports/{name}.csv" in body


def test_warehouse_dashboard_has_no_money(client, db, as_role):
    make_order(status="delivered")
    as_role("warehouse")
    body = client.get("/admin/").get_data(as_text=True)
    assert '<svg class="sales-chart"' not in body
    assert "kpi-revenue" not in body and "abandoned-carts" not in body
    assert "orders-by-status" in body and "/admin/reports/low_stock.csv" in body
    assert "/admin/reports/summary.csv" not in body


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


def test_a_status_links_to_the_orders_of_the_period(client, db, as_role):
    recent = make_order(status="processing")
    old = placed(make_order(status="processing"), utcnow() - timedelta(days=20))
    as_role("manager", locale="en")
    body = client.get("/admin/?period=7d").get_data(as_text=True)
    table = body.split('class="table table-sm orders-by-status"', 1)[1].split("</table>", 1)[0]
    link = re.search(r'<a href="([^"]+)">Processing</a>', table).group(1).replace("&amp;", "&")
    listed = client.get(link).get_data(as_text=True)
    assert recent.number in listed and old.number not in listed
