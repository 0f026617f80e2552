"""My settings (issue 19): every staff member picks their own interface language and time zone;
the back office's dates then follow that zone: lists, details, date filters and the dashboard's
days. A zone that is not one is refused with a message and changes nothing; a POST without the
CSRF token changes nothing; nobody changes anyone else's settings."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask_admin.contrib.sqla.filters import FilterEqual

from admin.timefilters import LocalDateTimeBetweenFilter, LocalDateTimeGreaterFilter
from shop.accounts.models import User
from shop.core.models import utcnow
from tests.admin.conftest import make_order

URL = "/admin/my-settings/"


def _reload(db, user):
    db.session.expire_all()
    return db.session.get(User, user.id)


@pytest.mark.parametrize("role", ["admin", "manager", "warehouse"])
def test_every_staff_role_opens_it_from_the_menu_and_the_top_bar(client, as_role, role):
    as_role(role, locale="en")
    body = client.get("/admin/").get_data(as_text=True)
    nav = body.split('id="admin-sidebar"', 1)[1].split("</nav>", 1)[0]
    assert f'href="{URL}"' in nav and "My settings" in nav
    topbar = body.split('class="admin-topbar"', 1)[1].split("</header>", 1)[0]
    assert f'href="{URL}"' in topbar
    page = client.get(URL)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<h1" in html and "My settings" in html
    assert 'name="timezone"' in html and 'name="locale"' in html


def test_shoppers_and_visitors_cannot(client, staff):
    from tests.admin.conftest import login_as

    response = client.get(URL)
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    login_as(client, staff("customer"))
    assert client.get(URL).status_code == 403


def test_the_zones_russia_first_then_the_shops_then_the_rest(client, as_role):
    as_role("manager", locale="en")
    html = client.get(URL + "?lang=en").get_data(as_text=True)
    select = html.split('name="timezone"', 1)[1].split("</select>", 1)[0]
    values = re.findall(r'<option[^>]*value="([^"]*)"', select)
    russian = [
        "Europe/Kaliningrad", "Europe/Moscow", "Europe/Samara", "Asia/Yekaterinburg",
        "Asia/Omsk", "Asia/Novosibirsk", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Yakutsk",
        "Asia/Vladivostok", "Asia/Magadan", "Asia/Kamchatka",
    ]
    assert values[: len(russian) + 1] == [*russian, ""]
    assert "Europe/Berlin" in values and "America/New_York" in values
    assert len(values) == len(set(values))
    assert "(UTC+10:00) Vladivostok" in select and "(UTC+02:00) Kaliningrad" in select
    assert "The shop&#39;s time zone (default): (UTC+03:00) Moscow" in select
    # the unset zone is the selected option
    assert re.search(r'<option selected value="">|<option value="" selected', select), select


def test_saving_a_zone_and_a_language(client, db, as_role, token):
    user = as_role("warehouse", locale="ru")
    response = client.post(
        URL, data={"timezone": "Asia/Vladivostok", "locale": "en", "csrf_token": token(URL)}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(URL)
    saved = _reload(db, user)
    assert (saved.timezone, saved.locale) == ("Asia/Vladivostok", "en")
    html = client.get(URL).get_data(as_text=True)
    assert "Your settings have been saved." in html  # in English, the language just chosen
    assert re.search(r'<option selected value="Asia/Vladivostok">', html)
    now = utcnow().replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo("Asia/Vladivostok"))
    shown = re.search(r'id="my-settings-now">[^<]*?(\d\d:\d\d)', html).group(1)
    assert shown in {f"{now:%H:%M}", f"{now + timedelta(minutes=1):%H:%M}"}
    # back to the shop's zone
    client.post(URL, data={"timezone": "", "locale": "ru", "csrf_token": token(URL)})
    saved = _reload(db, user)
    assert (saved.timezone, saved.locale) == (None, "ru")


@pytest.mark.parametrize(
    "bad",
    [
        {"timezone": "Mars/Olympus_Mons"},
        {"timezone": "../../etc/passwd"},
        {"timezone": "x" * 500},
        {"timezone": "localtime"},
        {"locale": "de"},
    ],
)
def test_a_bad_zone_or_language_is_refused_and_nothing_changes(client, db, as_role, token, bad):
    user = as_role("manager", locale="en", timezone="Asia/Omsk")
    data = {"timezone": "Asia/Yakutsk", "locale": "ru", "csrf_token": token(URL), **bad}
    response = client.post(URL + "?lang=en", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert (
        "Choose a time zone from the list." in html or "Choose Russian or English." in html
    )
    assert "alert-danger" in html
    assert re.search(r'<option selected value="Asia/Omsk">', html)  # the saved one again
    saved = _reload(db, user)
    assert (saved.timezone, saved.locale) == ("Asia/Omsk", "en")


def test_without_the_csrf_token_nothing_changes(client, db, as_role):
    user = as_role("manager", locale="en")
    response = client.post(URL + "?lang=en", data={"timezone": "Asia/Yakutsk", "locale": "en"})
    assert response.status_code in (200, 400)
    assert _reload(db, user).timezone is None


def test_each_changes_only_their_own(client, db, as_role, staff, token):
    other = staff("manager", timezone="Asia/Omsk")
    me = as_role("admin", locale="en")
    # an id in the address or the form is not read: the page is always the reader's own
    client.post(
        f"{URL}?id={other.id}",
        data={"timezone": "Asia/Magadan", "locale": "en", "id": str(other.id),
              "user_id": str(other.id), "csrf_token": token(URL)},
    )
    assert _reload(db, other).timezone == "Asia/Omsk"
    assert _reload(db, me).timezone == "Asia/Magadan"


# --- the back office in the reader's zone -------------------------------------------------


def _orders(db):
    late = make_order(number="TZ-LATE")  # 23:30 on 1 December in Moscow, 06:30 on the 2nd in
    late.created_at = datetime(2026, 12, 1, 20, 30)  # Vladivostok (+7 h)
    night = make_order(number="TZ-NIGHT")  # 00:30 / 07:30 on 2 December
    night.created_at = datetime(2026, 12, 1, 21, 30)
    db.session.commit()
    return late, night


def _orders_view(app):
    return next(v for v in app.extensions["shop_admin"]._views if v.endpoint == "admin_orders")


def _filter_arg(app, operation):
    with app.test_request_context():
        return _orders_view(app).filter_arg("created_at", operation)


def test_orders_show_the_readers_time(app, client, db, as_role):
    late, _night = _orders(db)
    as_role("manager", locale="ru", timezone="Asia/Vladivostok")
    body = client.get("/admin/orders/").get_data(as_text=True)
    assert "2 дек. 2026, 06:30" in body and "2 дек. 2026, 07:30" in body
    assert "23:30" not in body
    details = client.get(f"/admin/orders/details/?id={late.id}").get_data(as_text=True)
    assert "2 дек. 2026, 06:30" in details and "1 дек. 2026, 23:30" not in details
    # a printed invoice carries the shop's time, whoever prints it
    invoice = client.get(f"/admin/orders/{late.id}/invoice").get_data(as_text=True)
    assert "1 дек. 2026, 23:30" in invoice and "06:30" not in invoice


def test_a_date_filter_reads_the_readers_time(app, client, db, as_role, staff):
    from tests.admin.conftest import login_as

    _orders(db)
    after = _filter_arg(app, LocalDateTimeGreaterFilter)
    between = _filter_arg(app, LocalDateTimeBetweenFilter)
    as_role("manager", locale="en", timezone="Asia/Vladivostok")
    body = client.get(f"/admin/orders/?{after}=2026-12-02+07:00:00").get_data(as_text=True)
    assert "TZ-NIGHT" in body and "TZ-LATE" not in body
    day = "2026-12-02+00:00:00+to+2026-12-02+23:59:59"  # their 2 December holds both
    body = client.get(f"/admin/orders/?{between}={day}").get_data(as_text=True)
    assert "TZ-LATE" in body and "TZ-NIGHT" in body
    login_as(client, staff("manager", locale="en"))  # a colleague in Moscow: only one of them
    body = client.get(f"/admin/orders/?{between}={day}").get_data(as_text=True)
    assert "TZ-NIGHT" in body and "TZ-LATE" not in body


def test_the_dashboards_today_is_the_readers_day(app, client, db, as_role):
    """"Today" on the dashboard starts at the reader's midnight: its links to the order list
    name that day, and the list they open holds the order placed at their midnight, not the
    one a minute before (both fall on one Moscow day, so Moscow's "today" keeps them together).
    """
    zone = ZoneInfo("Asia/Vladivostok")
    today = utcnow().replace(tzinfo=ZoneInfo("UTC")).astimezone(zone).date()
    midnight = datetime.combine(today, time(0), tzinfo=zone).astimezone(ZoneInfo("UTC"))
    midnight = midnight.replace(tzinfo=None)
    before = make_order(number="TZ-BEFORE")
    before.created_at = midnight - timedelta(minutes=1)
    after = make_order(number="TZ-AFTER")
    after.created_at = midnight
    db.session.commit()
    with app.test_request_context():
        status_arg = _orders_view(app).filter_arg("status", FilterEqual)
    as_role("manager", locale="en", timezone="Asia/Vladivostok")
    body = client.get("/admin/?period=today").get_data(as_text=True)
    links = re.findall(r'href="(/admin/orders/\?[^"]*)"', body)
    new_link = next(link.replace("&amp;", "&") for link in links if f"{status_arg}=new" in link)
    assert f"{today:%Y-%m-%d}+00:00:00+to+{today:%Y-%m-%d}+23:59:59" in new_link.replace(
        "%3A", ":"
    ).replace("%20", "+")
    listed = client.get(new_link).get_data(as_text=True)
    assert "TZ-AFTER" in listed and "TZ-BEFORE" not in listed
