"""Checkout with YooKassa in a real browser: the shop under uWSGI points at the local fake
YooKassa (tests/payments/fake_yookassa.py), whose confirmation page stands in for YooKassa's.

The browser goes from "Place order" through our "go to payment" page to the fake's page (a
form's redirect to another origin would be blocked by the storefront's CSP); on "Pay" the fake
notifies the shop from 127.0.0.1 (allowed here by SHOP_YOOKASSA_NOTIFY_NETWORKS) and sends the
browser back to the order's page, which shows it paid. A declined payment can be paid again.
"""

import json
import re

import pytest

from tests.e2e.test_checkout import add_to_cart, fill_details, shop_data  # noqa: F401 - fixture
from tests.payments.fake_yookassa import FakeYooKassa
from tests.uwsgi_server import serve_shop, shop_database

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def fake_yookassa():
    fake = FakeYooKassa().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, fake_yookassa):
    """A shop of its own, configured for the fake (the shared one has no YooKassa)."""
    overrides = {
        "SHOP_YOOKASSA_SHOP_ID": fake_yookassa.shop_id,
        "SHOP_YOOKASSA_SECRET_KEY": fake_yookassa.secret_key,
        "SHOP_YOOKASSA_API_URL": fake_yookassa.api_url,
        "SHOP_YOOKASSA_NOTIFY_NETWORKS": json.dumps(["127.0.0.0/8"]),
    }
    with shop_database(tmp_path_factory, "e2e-yookassa") as url:
        instance = tmp_path_factory.mktemp("e2e-yookassa-instance")
        with serve_shop(instance, url, env_overrides=overrides) as server:
            fake_yookassa.notify_url = server.url + "/payments/webhook/yookassa"
            yield server


BUTTONS = {"ru-RU": ("Перейти к проверке заказа", "Подтвердить заказ"),
           "en-GB": ("Continue to review", "Place order")}


def place_order(page, base, slug, payment, locale):
    review, place = BUTTONS[locale]
    add_to_cart(page, base, slug)
    page.goto(base + "/checkout")
    fill_details(page, payment=payment)
    page.get_by_role("button", name=review).click()
    assert "/checkout/review" in page.url
    page.get_by_role("button", name=place).click()
    page.wait_for_url(re.compile(r".*/checkout/[0-9a-f-]{36}$"))


@pytest.mark.parametrize(
    ("locale", "payment", "kind", "paid"),
    [("ru-RU", "yookassa_sbp", "sbp", "Оплачен"), ("en-GB", "yookassa_card", "bank_card", "Paid")],
)
def test_guest_pays_through_yookassa(live_server, fake_yookassa, new_page, screenshot,
                                     shop_data, locale, payment, kind, paid):  # noqa: F811
    base = live_server.url
    page = new_page(locale=locale, width=1366)
    place_order(page, base, shop_data[0], payment, locale)
    assert page.locator("[data-testid=fake-method]").inner_text() == kind
    number = re.search(r"\d{6}-\d{8}", page.locator("[data-testid=fake-description]")
                       .inner_text()).group(0)
    screenshot(page, f"yookassa-confirmation-{payment}")
    page.get_by_test_id("fake-pay").click()
    page.wait_for_url(re.compile(r".*/orders/view/.+"))
    assert page.locator("[data-testid=order-status]").inner_text() == paid
    assert number in page.locator("h1").inner_text()
    screenshot(page, f"yookassa-paid-{payment}")


def test_declined_then_paid_again(live_server, fake_yookassa, new_page, shop_data):  # noqa: F811
    base = live_server.url
    page = new_page(locale="en-GB", width=375)
    place_order(page, base, shop_data[1], "yookassa_card", "en-GB")
    page.get_by_test_id("fake-decline").click()
    page.wait_for_url(re.compile(r".*/orders/view/.+"))
    assert page.locator("[data-testid=order-status]").inner_text() == "New"
    page.get_by_role("button", name="Pay by card").click()
    page.wait_for_url(re.compile(r".*/checkout/[0-9a-f-]{36}$"))
    page.get_by_test_id("fake-pay").click()
    page.wait_for_url(re.compile(r".*/orders/view/.+"))
    assert page.locator("[data-testid=order-status]").inner_text() == "Paid"
