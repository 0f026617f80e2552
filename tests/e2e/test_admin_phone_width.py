"""Two back-office pages fit a 375 px phone (issue 19), in ru and en, with screenshots: the
phone order page, with lines and search results, whose "Quantity" header broke inside the word,
and the page of an order paid by card and delivered, which was 112 px wider than the screen
(the refund by line table and its units fields; the payments and refunds tables did not scroll
in a box either). Neither page scrolls sideways; axe-core finds nothing on the order's page."""

import pytest

from tests.e2e.axe import axe_violations, format_violations
from tests.e2e.test_admin import PASSWORD, helper, staff_login
from tests.e2e.test_checkout import run_py

pytestmark = pytest.mark.e2e
WIDTH = 375

WIDER = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = (e) => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") return true;
    }
    return false;
  };
  return Array.from(document.querySelectorAll("body *"))
    .filter((e) => e.getBoundingClientRect().right > width + 1 && !clipped(e))
    .slice(0, 8).map((e) => e.tagName + "." + e.className + " " +
      Math.round(e.getBoundingClientRect().right));
}"""


# How many lines an element's text takes on the screen.
LINES_OF_TEXT = """(el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size;
}"""


@pytest.fixture(scope="module")
def phone_manager(live_server):
    email = "manager-phone-width@example.com"
    helper(live_server, "staff", email, PASSWORD, "manager")
    order_id = run_py(live_server, DELIVERED_CARD_ORDER)
    return email, order_id


# An order paid by card online (a payment with its receipt) and delivered: the details page
# then shows everything it can (payments, the timeline, refund by line with its inputs).
DELIVERED_CARD_ORDER = """
import json
import secrets
from decimal import Decimal
from shop.extensions import db
from shop.orders.models import Order
from shop.orders.services import transition
from shop.payments.models import FiscalReceipt, Payment
from tests.e2e.admin_helpers import make_order
with app.app_context():
    number = make_order("new", "Константин Константинопольский-Щедрин",
                        "konstantin.konstantinopolsky@example-long-domain.ru")
    order = db.session.scalar(db.select(Order).where(Order.number == number))
    order.payment_method = "card"
    order.delivery_price = Decimal("390.00")
    order.total = order.subtotal + order.delivery_price
    payment = Payment(order_id=order.id, provider="test", amount=order.total, currency="RUB",
                      status="succeeded", provider_reference=secrets.token_hex(16),
                      idempotency_key=secrets.token_hex(16))
    db.session.add(payment)
    db.session.flush()
    db.session.add(FiscalReceipt(payment_id=payment.id, kind="settlement", status="failed",
                                 last_error="Connection refused by the fiscal provider"))
    db.session.commit()
    for step in ("paid", "processing", "shipped", "delivered"):
        transition(order.id, step)
    print(json.dumps(order.id))
"""


def overflow(page) -> int:
    """How many pixels the page is wider than the window (0 when it fits)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")


def assert_fits(page):
    assert page.evaluate("window.innerWidth") == WIDTH
    assert overflow(page) == 0, page.evaluate(WIDER)


def settled(page):
    """The side navigation has slid away after the page's load (for a true screenshot)."""
    page.locator("#admin-sidebar a.admin-nav-link").first.wait_for(state="hidden")


@pytest.mark.parametrize(("locale", "lang"), [("ru-RU", "ru"), ("en-GB", "en")])
def test_the_phone_order_page_fits_a_phone(live_server, phone_manager, new_page, screenshot,
                                           locale, lang):
    page = new_page(locale=locale, width=WIDTH)
    staff_login(page, live_server, phone_manager[0])
    page.goto(live_server.url + f"/lang/{lang}?next=/admin/orders/phone/?vq=LV-")
    page.wait_for_load_state()
    assert page.locator(".phone-variants tbody tr").count() > 0
    assert_fits(page)
    # the lines' headers ("Количество") stand on one line each, never broken inside the word
    for header in page.locator(".phone-lines thead th:not(:last-child)").all():
        assert header.evaluate(LINES_OF_TEXT) == 1, header.inner_text()
    settled(page)
    screenshot(page, f"admin-phone-order-width-{lang}-{WIDTH}")


@pytest.mark.parametrize(("locale", "lang"), [("ru-RU", "ru"), ("en-GB", "en")])
def test_an_orders_details_fit_a_phone(live_server, phone_manager, new_page, screenshot,
                                       locale, lang):
    page = new_page(locale=locale, width=WIDTH)
    staff_login(page, live_server, phone_manager[0])
    page.goto(live_server.url
              + f"/lang/{lang}?next=/admin/orders/details/?id={phone_manager[1]}")
    page.wait_for_load_state()
    assert "/admin/orders/details/" in page.url
    assert page.locator("form.refund-lines-form").count() == 1
    assert page.locator("table.order-payments").count() == 1
    assert_fits(page)
    # the refund table scrolls in its box, which the keyboard reaches
    box = page.locator(".refund-lines-form .table-responsive")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    assert box.get_attribute("tabindex") == "0"
    bad = axe_violations(page)
    assert not bad, format_violations(bad)
    settled(page)
    screenshot(page, f"admin-order-details-width-{lang}-{WIDTH}")
