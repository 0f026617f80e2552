"""My settings in a real browser (issue 19): a warehouse worker opens it from the account link in
the top bar (on a phone the side navigation is off canvas), picks Vladivostok, and the orders
list then dates an order 7 hours later than a colleague in Moscow sees it."""

import re

import pytest

from tests.e2e.test_admin import PASSWORD, helper, staff_login

pytestmark = pytest.mark.e2e
WORKER = "warehouse-tz@example.com"


def _placed_time(page, server, number) -> str:
    page.goto(server.url + f"/admin/orders/?search={number}")
    row = page.locator("tr", has_text=number).first
    return re.search(r"\d\d:\d\d", row.inner_text()).group(0)


@pytest.fixture(scope="module")
def worker(live_server):
    helper(live_server, "staff", WORKER, PASSWORD, "warehouse")
    return WORKER


@pytest.mark.parametrize("width", [375, 1366])
def test_a_staff_member_picks_their_time_zone(live_server, worker, new_page, screenshot, width):
    number = helper(live_server, "order", "processing")
    page = new_page(locale="en-GB", width=width)
    staff_login(page, live_server, worker)
    page.goto(live_server.url + "/lang/en?next=/admin/")
    moscow = _placed_time(page, live_server, number)

    page.locator(".admin-topbar a[href='/admin/my-settings/']").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "My settings"
    page.select_option("select[name=locale]", "en")  # saved: English from now on
    page.select_option("select[name=timezone]", "Asia/Vladivostok")
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()
    assert "Your settings have been saved." in page.locator("main").inner_text()
    assert page.locator("select[name=timezone]").input_value() == "Asia/Vladivostok"
    screenshot(page, f"admin-my-settings-en-{width}")

    hours, minutes = map(int, moscow.split(":"))
    assert _placed_time(page, live_server, number) == f"{(hours + 7) % 24:02d}:{minutes:02d}"
    # back to the shop's zone, for the other width's run
    page.goto(live_server.url + "/admin/my-settings/")
    page.select_option("select[name=timezone]", "")
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()
    assert _placed_time(page, live_server, number) == moscow
