"""Moments in the back office are the reader's (issue 19.1): lists and details show them in the
time zone Flask-Babel formats in (Europe/Moscow for the shop), and a list's date-and-time filter
reads what the staff member typed in that same zone, not as the stored UTC."""

from datetime import datetime

from flask_admin.contrib.sqla.filters import DateTimeGreaterFilter

from admin.timefilters import LocalDateTimeBetweenFilter, LocalDateTimeGreaterFilter
from tests.admin.conftest import make_order


def _orders(db):
    late = make_order(number="TZ-LATE")  # 23:30 in Moscow on 1 December
    late.created_at = datetime(2026, 12, 1, 20, 30)
    night = make_order(number="TZ-NIGHT")  # 00:30 in Moscow on 2 December
    night.created_at = datetime(2026, 12, 1, 21, 30)
    db.session.commit()
    return late, night


def _filter_arg(app, operation):
    view = next(v for v in app.extensions["shop_admin"]._views if v.endpoint == "admin_orders")
    with app.test_request_context():
        return view.filter_arg("created_at", operation)


def test_dates_in_lists_and_details_are_in_the_shops_time_zone(app, client, db, as_role):
    late, night = _orders(db)
    as_role("manager", locale="ru")
    body = client.get("/admin/orders/").get_data(as_text=True)
    assert "1 дек. 2026, 23:30" in body and "2 дек. 2026, 00:30" in body
    details = client.get(f"/admin/orders/details/?id={night.id}").get_data(as_text=True)
    assert "2 дек. 2026, 00:30" in details


def test_a_date_filter_reads_the_readers_time(app, client, db, as_role):
    _orders(db)
    as_role("manager", locale="en")
    assert _filter_arg(app, DateTimeGreaterFilter) is None  # Flask-Admin's own is replaced
    after = _filter_arg(app, LocalDateTimeGreaterFilter)
    body = client.get(f"/admin/orders/?{after}=2026-12-02+00:00:00").get_data(as_text=True)
    assert "TZ-NIGHT" in body and "TZ-LATE" not in body
    between = _filter_arg(app, LocalDateTimeBetweenFilter)
    day = "2026-12-01+00:00:00+to+2026-12-01+23:59:59"
    body = client.get(f"/admin/orders/?{between}={day}").get_data(as_text=True)
    assert "TZ-LATE" in body and "TZ-NIGHT" not in body
