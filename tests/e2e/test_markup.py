"""Layout on a phone, in Chromium (issue 14.13): "My orders" keeps every column that matters
(number, date, status, total) inside a 375 px screen, and so does a single order's page.
On a phone each order is a card (issue 18.5); its status badge reads with AA contrast; the order
page's status timeline fits the screen and marks one step as the current one.

The orders are real ones of the live server. Then each row is given the widest values a shopper
can meet (a seven-digit total, the longest status label of the language) before measuring, so
the test does not depend on what the demo catalogue happens to cost.
"""

import re

import pytest

from tests.e2e.test_checkout import PASSWORD, log_in, run_py

pytestmark = pytest.mark.e2e
EMAIL = "konstantin.konstantinopolsky-layout-e2e@example.com"  # long: it must wrap, not widen
# The widest values of their kind in each language.
WIDEST = {
    "ru": {"total": "1 234 567,00 ₽", "status": "Частично возвращён"},
    "en": {"total": "₽1,234,567.00", "status": "Partly refunded"},
}


@pytest.fixture(scope="module")
def orders(live_server):
    """Three orders of one shopper, one of them moved on to "processing"."""
    return run_py(
        live_server,
        f"""
import json, secrets
from flask_security import hash_password
from sqlalchemy import select
from shop.cart import services as cart_services
from shop.catalog.models import ProductVariant
from shop.checkout import services as checkout
from shop.core.models import utcnow
from shop.extensions import db
from shop.orders import services as orders
from shop.shipping.models import DeliveryMethod
with app.app_context():
    ds = app.extensions["security"].datastore
    user = ds.find_user(email={EMAIL!r}) or ds.create_user(
        email={EMAIL!r}, password=hash_password({PASSWORD!r}), active=True,
        confirmed_at=utcnow(), full_name="Константин Константинопольский", locale="ru")
    db.session.commit()
    method = db.session.scalars(select(DeliveryMethod).where(DeliveryMethod.needs_address)).first()
    variants = db.session.scalars(
        select(ProductVariant).where(ProductVariant.active, ProductVariant.stock >= 3)
        .order_by(ProductVariant.price.desc(), ProductVariant.id)).all()[:3]
    numbers = []
    for index, variant in enumerate(variants):
        cart = cart_services.add_item(None, variant.id, 1 + index % 2, user_id=user.id)
        order = checkout.place_order(cart, checkout.Details(
            email=user.email, phone="+7 900 123-45-67", name=user.full_name,
            delivery_method_id=method.id, payment_method="cash",
            address="101000, Москва, ул. Мясницкая, д. 10, кв. 5"),
            idempotency_key=secrets.token_urlsafe(16), user_id=user.id)
        numbers.append(order.number)
        if index == 0:
            orders.transition(order.id, "processing")
    print(json.dumps(numbers))
""",
    )


def _widen(page, lang):
    """Put the widest total and status into every row, as a long order would have."""
    page.evaluate(
        """([total, status]) => {
            document.querySelectorAll("[data-testid=my-order]").forEach((row) => {
                row.querySelector("[data-testid=my-order-total]").textContent = total;
                row.querySelectorAll(".badge").forEach((badge) => { badge.textContent = status; });
            });
        }""",
        [WIDEST[lang]["total"], WIDEST[lang]["status"]],
    )


def _inside_viewport(page, selector):
    """Whether the shown elements matching `selector` (one at least) lie wholly on the screen,
    not scrolled away inside a .table-responsive box."""
    return page.evaluate(
        """(selector) => {
            const shown = Array.from(document.querySelectorAll(selector))
                .filter((el) => el.getClientRects().length > 0);
            return shown.length > 0 && shown.every((el) => {
                const box = el.getBoundingClientRect();
                const scroller = el.closest(".table-responsive");
                const clipped = scroller && scroller.scrollWidth > scroller.clientWidth + 1;
                return box.left >= 0 && box.right <= window.innerWidth + 0.5 && !clipped;
            });
        }""",
        selector,
    )


@pytest.mark.parametrize(
    ("locale", "lang", "width"), [("ru-RU", "ru", 375), ("en-GB", "en", 375), ("ru-RU", "ru", 320)]
)
def test_my_orders_fit_a_phone(live_server, new_page, screenshot, orders, locale, lang, width):
    base = live_server.url
    page = new_page(locale=locale, width=width)
    log_in(page, base, EMAIL)
    page.goto(f"{base}/lang/{lang}")
    page.goto(f"{base}/account/orders")
    rows = page.locator("[data-testid=my-order]")
    assert rows.count() >= len(orders)
    _widen(page, lang)
    screenshot(page, f"markup-my-orders-{lang}-{width}")
    for selector in (
        "[data-testid=my-order] a",
        "[data-testid=my-order-total]",
        "[data-testid=my-order] .badge",
    ):
        assert _inside_viewport(page, selector), f"{selector} is cut off at {width} px"
    for row in rows.all():
        shown = row.inner_text()  # the text a person sees (hidden cells left out)
        # the number, the date, the status and the total, each once
        assert re.search(r"\d{6}-\d+", shown) and re.search(r"20\d\d", shown), shown
        assert shown.count(WIDEST[lang]["status"]) == 1, shown
        assert shown.count(WIDEST[lang]["total"]) == 1, shown
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    # stacked cards, not a table squeezed into the screen: no column headings shown
    assert page.evaluate("""() => Array.from(document.querySelectorAll("[data-testid=my-order]"))
        .every((row) => getComputedStyle(row).display === "grid")""")
    assert page.locator(".my-orders thead").bounding_box()["width"] <= 1


def _channels(css_colour):
    return [int(c) / 255 for c in re.findall(r"\d+", css_colour)[:3]]


def _contrast(text, background):
    def luminance(colour):
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
                   for c in _channels(colour))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(text), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_status_badges_read_with_aa_contrast(live_server, new_page, orders):
    page = new_page(width=375)
    log_in(page, live_server.url, EMAIL)
    page.goto(f"{live_server.url}/account/orders")
    badges = page.evaluate("""() => Array.from(document.querySelectorAll(".status-badge"))
        .map((b) => [b.dataset.status, getComputedStyle(b).color,
                     getComputedStyle(b).backgroundColor])""")
    assert {status for status, _text, _bg in badges} >= {"new", "processing"}
    for status, text, background in badges:
        assert _contrast(text, background) >= 4.5, (status, text, background)
    colours = {status: background for status, _text, background in badges}
    assert colours["new"] != colours["processing"]


@pytest.mark.parametrize(("locale", "lang", "width"), [("ru-RU", "ru", 375), ("en-GB", "en", 1366)])
def test_my_orders_and_an_order_page_at_both_sizes(
    live_server, new_page, screenshot, orders, locale, lang, width
):
    base = live_server.url
    page = new_page(locale=locale, width=width)
    log_in(page, base, EMAIL)
    page.goto(f"{base}/lang/{lang}")
    page.goto(f"{base}/account/orders")
    screenshot(page, f"markup-my-orders-real-{lang}-{width}")
    assert _inside_viewport(page, "[data-testid=my-order-total]")
    page.goto(f"{base}/account/orders/{orders[0]}")
    screenshot(page, f"markup-order-{lang}-{width}")
    for selector in ("[data-testid=order-total]", "[data-testid=order-status]",
                     "[data-testid=status-timeline] li"):
        assert _inside_viewport(page, selector), f"{selector} is cut off at {width} px"
    current = page.locator("[data-testid=status-timeline] [aria-current=step]")
    assert current.count() == 1 and current.get_attribute("data-status") == "processing"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.goto(f"{base}/orders/{orders[0]}/thanks")
    screenshot(page, f"markup-thanks-{lang}-{width}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
