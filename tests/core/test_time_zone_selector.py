"""Dates follow the reader's own time zone (issue 19): the one a signed-in user chose, else the
shop's; a stored value that is not a zone, or no user at all (CLI, mail worker), is the shop's.
The selector runs once per request, however many dates the page shows; emails and printed
documents, written for someone else, keep the shop's zone."""

from datetime import datetime

import pytest
from flask_babel import format_datetime, get_babel
from flask_login import login_user

from shop.core.i18n import is_timezone, reader_zone, select_timezone, shop_time
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("Asia/Vladivostok", "Asia/Vladivostok"),
        ("America/New_York", "America/New_York"),
        (None, "Europe/Moscow"),
        ("", "Europe/Moscow"),
        ("Mars/Olympus_Mons", "Europe/Moscow"),  # not a zone (typed into the database by hand)
        ("../../etc/passwd", "Europe/Moscow"),
        ("localtime", "Europe/Moscow"),  # a file in the tz database, not a zone
    ],
)
def test_the_signed_in_users_zone_or_the_shops(app, db, stored, expected):
    user = UserFactory(timezone=stored)
    with app.test_request_context():
        login_user(user)
        assert select_timezone() == expected
        assert reader_zone().key == expected


def test_no_user_no_request_is_the_shops_zone(app, db):
    with app.test_request_context():
        assert select_timezone() == "Europe/Moscow"  # anonymous visitor
    with app.app_context():
        assert select_timezone() == "Europe/Moscow"  # CLI, mail worker: no request, no login
        assert reader_zone().key == "Europe/Moscow"
    assert reader_zone().key == "Europe/Moscow"  # not even an app


def test_the_shops_zone_is_a_setting(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_TIMEZONE", "Asia/Yekaterinburg")
    with app.test_request_context():
        login_user(UserFactory(timezone=None))
        assert select_timezone() == "Asia/Yekaterinburg"


def test_dates_are_formatted_in_the_readers_zone_and_shop_time_switches_back(app, db):
    user = UserFactory(timezone="Asia/Vladivostok")
    moment = datetime(2026, 12, 1, 20, 30)  # UTC: 23:30 in Moscow, 06:30 next day in Vladivostok
    with app.test_request_context():
        login_user(user)
        assert format_datetime(moment, "d.MM HH:mm") == "2.12 06:30"
        with shop_time():
            assert format_datetime(moment, "d.MM HH:mm") == "1.12 23:30"
        assert format_datetime(moment, "d.MM HH:mm") == "2.12 06:30"
    with app.app_context(), shop_time():  # no zone chosen yet in this context: still fine
        assert format_datetime(moment, "d.MM HH:mm") == "1.12 23:30"
    with shop_time():  # outside any context: nothing to switch, no error
        pass


def test_the_selector_runs_once_per_request(app, client, db, monkeypatch):
    from tests.admin.conftest import login_as, make_order

    monkeypatch.setitem(app.config, "STAFF_TWO_FACTOR_REQUIRED", False)
    for _ in range(5):
        make_order()
    login_as(client, UserFactory(roles=["manager"], timezone="Asia/Omsk"))
    babel = get_babel(app)
    calls = []

    def counting():
        calls.append(1)
        return select_timezone()

    monkeypatch.setattr(babel, "timezone_selector", counting)
    assert client.get("/admin/orders/").status_code == 200
    assert len(calls) == 1


def test_is_timezone():
    assert is_timezone("Europe/Moscow") and is_timezone("UTC")
    assert not any(map(is_timezone, (None, "", "Europe/Atlantis", 3, "europe/moscow")))


def test_an_email_caused_by_staff_elsewhere_carries_the_shops_time(app, db):
    from shop.notifications.outbox import queue_email
    from tests.admin.conftest import make_order

    order = make_order()
    order.expires_at = datetime(2026, 12, 1, 20, 30)  # 23:30 in Moscow, 06:30 in Vladivostok
    db.session.commit()
    manager = UserFactory(roles=["manager"], timezone="Asia/Vladivostok")
    with app.test_request_context():
        login_user(manager)
        message = queue_email(
            "buyer@example.com", "order_payment_link", "en", order=order, pay_link="http://x/go"
        )
        assert format_datetime(order.expires_at, "HH:mm") == "06:30"  # the page itself: theirs
    assert "1 Dec 2026, 23:30" in message.body_text and "06:30" not in message.body_text
