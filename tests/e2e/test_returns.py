"""A guest asks to return goods of a delivered order in a real browser, in Russian and English:
the order's signed link shows "Return items", the form refuses more than was bought with a
message on the page, then takes the request, and the order page shows the return's status."""

import pytest

from tests.e2e.test_checkout import run_py

pytestmark = pytest.mark.e2e

TEXT = {
    "ru-RU": {"button": "Вернуть товары", "status": "Запрошен", "lang": "ru"},
    "en-GB": {"button": "Return items", "status": "Requested", "lang": "en"},
}


def delivered_order_link(server) -> dict:
    """A cash order delivered just now, made in the live server's database; its guest link."""
    return run_py(server, """
import json
from shop.orders.services import guest_token, transition
from tests.e2e.admin_helpers import make_order
from shop.extensions import db
from shop.orders.models import Order
with app.app_context():
    number = make_order("new")
    order = db.session.scalar(db.select(Order).where(Order.number == number))
    for step in ("processing", "shipped", "delivered"):
        transition(order.id, step)
    order = db.session.scalar(db.select(Order).where(Order.number == number))
    print(json.dumps({"link": "/orders/view/" + guest_token(order),
                      "line": order.lines[0].id}))
""")


@pytest.mark.parametrize("locale", ["ru-RU", "en-GB"])
def test_guest_asks_for_a_return(live_server, new_page, screenshot, locale):
    text = TEXT[locale]
    order = delivered_order_link(live_server)
    page = new_page(locale=locale, width=1366 if locale == "ru-RU" else 375)
    page.goto(live_server.url + order["link"])
    assert page.locator("html").get_attribute("lang") == text["lang"]
    button = page.get_by_test_id("return-items")
    assert button.inner_text().strip() == text["button"]
    button.click()
    page.wait_for_url("**/return")
    quantity = page.locator(f"input[name=qty-{order['line']}]")
    quantity.fill("5")  # bought 1
    page.locator("input[name=reason]").first.check()
    page.locator("form.return-form button[type=submit]").click()
    assert page.get_by_test_id("return-error").is_visible()
    screenshot(page, f"return-refused-{text['lang']}")
    page.locator(f"input[name=qty-{order['line']}]").fill("1")
    page.locator("input[name=reason]").first.check()
    page.locator("textarea[name=comment]").fill("Не подошёл цвет")
    page.locator("form.return-form button[type=submit]").click()
    page.wait_for_url(f"**{order['link']}")
    status = page.get_by_test_id("return-status")
    assert text["status"] in status.inner_text()
    assert page.get_by_test_id("return-items").count() == 0
    screenshot(page, f"return-requested-{text['lang']}")
