"""A shopper's time zone (issue 19): chosen in the profile (Russia's zones, or the shop's), and
"my orders" then dates their orders in it. A zone that is not one is refused and nothing
changes; a form without the field (an older page) keeps the saved zone."""

import re
from datetime import datetime

import pytest

from shop.accounts.models import User
from shop.extensions import db
from tests.accounts.helpers import csrf, login
from tests.admin.conftest import make_order
from tests.factories import UserFactory

PROFILE = "/account/profile"


@pytest.fixture()
def shopper(client):
    user = UserFactory(full_name="Анна", phone=None, locale="en")
    login(client, user)
    return user


def _saved(user):
    db.session.expire_all()
    return db.session.get(User, user.id)


def _post(client, **fields):
    data = {"full_name": "Анна", "locale": "en", "csrf_token": csrf(client, PROFILE), **fields}
    return client.post(PROFILE, data=data)


def test_the_profile_offers_russias_zones_and_the_shops(client, shopper):
    html = client.get(PROFILE).get_data(as_text=True)
    select = html.split('name="timezone"', 1)[1].split("</select>", 1)[0]
    values = re.findall(r'<option[^>]*value="([^"]*)"', select)
    assert values[0] == "Europe/Kaliningrad" and values[11] == "Asia/Kamchatka"
    assert values[12:] == [""]  # the shop's; no list of the world's zones on the storefront
    assert re.search(r'<option selected value="">', select)  # nothing chosen yet
    assert "(UTC+07:00) Novosibirsk" in select


def test_a_shopper_picks_a_zone_and_my_orders_follow_it(client, shopper):
    order = make_order(user=shopper, number="TZ-MINE")
    order.created_at = datetime(2026, 12, 1, 20, 30)  # 23:30 in Moscow
    db.session.commit()
    assert "1 Dec 2026, 23:30" in client.get("/account/orders").get_data(as_text=True)
    assert _post(client, timezone="Asia/Vladivostok").status_code == 302
    assert _saved(shopper).timezone == "Asia/Vladivostok"
    assert "2 Dec 2026, 06:30" in client.get("/account/orders").get_data(as_text=True)
    detail = client.get("/account/orders/TZ-MINE").get_data(as_text=True)
    assert "2 Dec 2026, 06:30" in detail
    html = client.get(PROFILE).get_data(as_text=True)
    assert re.search(r'<option selected value="Asia/Vladivostok">', html)
    # a form without the field keeps it; "" is the shop's zone again
    _post(client, full_name="Анна П.")
    assert _saved(shopper).timezone == "Asia/Vladivostok"
    _post(client, timezone="")
    assert _saved(shopper).timezone is None


@pytest.mark.parametrize("bad", ["Mars/Olympus_Mons", "../../etc/passwd", "x" * 300, "localtime"])
def test_a_bad_zone_is_refused_and_nothing_changes(client, shopper, bad):
    shopper.timezone = "Asia/Omsk"
    db.session.commit()
    response = _post(client, timezone=bad, full_name="Someone else")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Choose a time zone from the list." in html
    assert re.search(r'<option selected value="Asia/Omsk">', html)
    saved = _saved(shopper)
    assert (saved.timezone, saved.full_name) == ("Asia/Omsk", "Анна")


def test_a_zone_chosen_in_the_back_office_stays_an_option(client):
    user = UserFactory(locale="en", timezone="Europe/Berlin")
    login(client, user)
    html = client.get(PROFILE).get_data(as_text=True)
    assert re.search(r'<option selected value="Europe/Berlin">', html)
    _post(client, timezone="Europe/Berlin")  # any valid zone is accepted by the service
    assert _saved(user).timezone == "Europe/Berlin"
