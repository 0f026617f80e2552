"""Buying in a real browser against uWSGI: a guest pays cash on delivery; a registered user pays
with the test card, sees the order paid, and another user cannot open it."""

import json
import re
import subprocess
import sys

import pytest

from tests.e2e.axe import axe_violations, format_violations
from tests.e2e.conftest import ROOT
from tests.e2e.helpers import open_menu

pytestmark = pytest.mark.e2e
PASSWORD = "Basket-Of-Apples-42"


def run_py(server, code):
    """Run Python in the live server's environment (its database) and return its JSON output."""
    prelude = "from shop import create_app\napp = create_app()\n"
    done = subprocess.run(
        [sys.executable, "-c", prelude + code],
        cwd=ROOT, env=server.env, check=True, capture_output=True, text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def shop_data(live_server):
    return run_py(live_server, f"""
import json
from flask_security import hash_password
from sqlalchemy import select
from shop.catalog.models import Product, ProductVariant
from shop.core.models import utcnow
from shop.extensions import db
with app.app_context():
    ds = app.extensions["security"].datastore
    for email, locale in (("buyer-e2e@example.com", "en"), ("other-e2e@example.com", "en"),
                          ("saver-en-e2e@example.com", "en"), ("saver-ru-e2e@example.com", "ru")):
        if not ds.find_user(email=email):
            ds.create_user(email=email, password=hash_password({PASSWORD!r}), active=True,
                           confirmed_at=utcnow(), full_name="Maria Ivanova", locale=locale)
    db.session.commit()
    rows = db.session.execute(
        select(Product.slug, ProductVariant.id).join(ProductVariant)
        .where(Product.active, ProductVariant.active, ProductVariant.stock >= 5)
        .order_by(Product.id)
    ).all()
    singles = {{}}
    for slug, vid in rows:
        singles.setdefault(slug, []).append(vid)
    print(json.dumps([slug for slug, ids in singles.items()][:2]))
""")


def log_in(page, base, email):
    page.goto(base + "/account/login")
    page.fill("form[name=login_user_form] input[name=email]", email)
    page.fill("form[name=login_user_form] input[name=password]", PASSWORD)
    page.locator("form[name=login_user_form] [type=submit]").click()
    page.wait_for_load_state()
    assert "/account/login" not in page.url, "login failed"


def add_to_cart(page, base, slug):
    page.goto(f"{base}/product/{slug}")
    radios = page.locator("form.add-to-cart input[name=variant_id][type=radio]:not([disabled])")
    if radios.count():
        radios.first.check(force=True)
    # the product page may add without a reload (js/product.js): wait for the answer itself
    with page.expect_response(lambda response: "/cart/add" in response.url):
        page.locator("form.add-to-cart button[type=submit]").first.click()
    page.wait_for_load_state()


ADDRESS = {"postcode": "101000", "region": "Москва", "city": "Москва",
           "street": "ул. Мясницкая", "house": "10", "flat": "5"}


def fill_details(page, *, payment, address=ADDRESS):
    page.fill("input[name=name]", page.input_value("input[name=name]") or "Пётр Сидоров")
    if not page.input_value("input[name=email]"):
        page.fill("input[name=email]", "guest-e2e@example.com")
    page.fill("input[name=phone]", "+7 900 123-45-67")
    page.locator("input[name=delivery_method]").first.check()
    new_address = page.locator("#sa-new")
    if new_address.count():
        new_address.check()
    for name, value in address.items():
        page.fill(f"input[name={name}]", value)
    page.locator(f"#pm-{payment}").check()
    page.check("#accept_offer")
    page.check("#accept_privacy")


def test_guest_buys_with_cash_on_delivery(live_server, new_page, screenshot, shop_data):
    base = live_server.url
    page = new_page(locale="ru-RU", width=375)
    add_to_cart(page, base, shop_data[0])
    page.goto(base + "/cart")
    assert page.locator("[data-testid=cart-line]").count() == 1
    open_menu(page)
    assert page.locator("[data-testid=header-cart] .badge").inner_text() == "1"
    screenshot(page, "checkout-cart-ru-375")
    page.get_by_role("link", name="Оформить заказ").click()
    fill_details(page, payment="cash")
    screenshot(page, "checkout-details-ru-375")
    page.get_by_role("button", name="Перейти к проверке заказа").click()
    assert "/checkout/review" in page.url
    screenshot(page, "checkout-review-ru-375")
    page.get_by_role("button", name="Подтвердить заказ").click()
    assert re.search(r"/orders/[0-9-]+/thanks$", page.url)
    heading = page.get_by_role("heading", level=1).inner_text()
    assert "оформлен" in heading
    assert page.locator("[data-testid=order-status]").inner_text() == "Новый"
    screenshot(page, "checkout-confirmation-ru-375")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    # the signed guest link opens the order in another browser
    link = page.locator("[data-testid=guest-link]").get_attribute("href")
    other = new_page(locale="ru-RU")
    assert other.goto(base + link).status == 200
    assert other.locator("[data-testid=order-status]").inner_text() == "Новый"
    # the empty cart afterwards
    page.goto(base + "/cart")
    assert page.locator("[data-testid=cart-line]").count() == 0


def test_user_pays_by_card_and_others_cannot_see(live_server, new_page, screenshot, shop_data):
    base = live_server.url
    page = new_page(locale="en-GB", width=1366)
    log_in(page, base, "buyer-e2e@example.com")
    add_to_cart(page, base, shop_data[1])
    page.goto(base + "/cart")
    screenshot(page, "checkout-cart-en-1366")
    page.get_by_role("link", name="Checkout").click()
    fill_details(page, payment="card")
    screenshot(page, "checkout-details-en-1366")
    page.get_by_role("button", name="Continue to review").click()
    screenshot(page, "checkout-review-en-1366")
    page.get_by_role("button", name="Place order").click()
    assert "/payments/test-gateway/" in page.url
    screenshot(page, "checkout-gateway-en-1366")
    page.get_by_role("button", name="Pay", exact=True).click()
    assert re.search(r"/account/orders/[0-9-]+$", page.url)
    assert page.locator("[data-testid=order-status]").inner_text() == "Paid"
    screenshot(page, "checkout-paid-en-1366")
    number = page.url.rsplit("/", 1)[1]
    page.goto(base + "/account/orders")
    assert number in page.locator("main").inner_text()

    stranger = new_page(locale="en-GB")
    log_in(stranger, base, "other-e2e@example.com")
    assert stranger.goto(f"{base}/account/orders/{number}").status == 404
    assert stranger.goto(f"{base}/orders/{number}/thanks").status == 404


@pytest.mark.parametrize(("locale", "lang", "width"), [("en-GB", "en", 375), ("ru-RU", "ru", 1366)])
def test_cart_and_checkout_pages_other_sizes(live_server, new_page, screenshot, shop_data,
                                              locale, lang, width):
    base = live_server.url
    page = new_page(locale=locale, width=width)
    add_to_cart(page, base, shop_data[0])
    page.goto(base + "/cart")
    screenshot(page, f"checkout-cart-{lang}-{width}")
    page.goto(base + "/checkout")
    screenshot(page, f"checkout-details-{lang}-{width}")
    # no horizontal scrolling on a phone
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def money(scope, testid):
    """A figure of the summary in kopecks ("2 690,00 ₽" and "RUB 2,690.00" -> 269000)."""
    return int(re.sub(r"[^0-9]", "", scope.locator(f"[data-testid={testid}]").inner_text()))


def fill_contact_and_consents(page):
    page.fill("input[name=name]", "Пётр Сидоров")
    page.fill("input[name=email]", "pickup-e2e@example.com")
    page.fill("input[name=phone]", "+7 900 123-45-67")
    page.locator("#pm-cash").check()
    page.check("#accept_offer")
    page.check("#accept_privacy")


@pytest.mark.parametrize(
    ("locale", "lang", "width", "courier", "pickup", "proceed", "place"),
    [
        ("ru-RU", "ru", 375, "Курьер", "Самовывоз", "Перейти к проверке заказа",
         "Подтвердить заказ"),
        ("en-GB", "en", 1366, "Courier", "Pickup", "Continue to review", "Place order"),
    ],
)
def test_pickup_hides_the_address_block(live_server, new_page, screenshot, shop_data, locale,
                                        lang, width, courier, pickup, proceed, place):
    """Delivery methods are radio cards named by their labels; choosing pickup (by keyboard)
    hides the address block, a courier shows it again; a pickup order needs no address."""
    base = live_server.url
    page = new_page(locale=locale, width=width, height=700)
    add_to_cart(page, base, shop_data[0])
    page.goto(base + "/checkout")
    block = page.locator("[data-address-block]")
    methods = page.locator("[data-testid=delivery-options]")
    courier_radio = methods.get_by_role("radio", name=re.compile(courier))
    pickup_radio = methods.get_by_role("radio", name=re.compile(pickup))
    courier_radio.check()
    assert block.is_visible()
    # the arrow keys move through the group's radios to pickup (courier, post, pickup)
    courier_radio.focus()
    for _ in range(3):
        if pickup_radio.is_checked():
            break
        page.keyboard.press("ArrowDown")
    assert pickup_radio.is_checked()
    block.wait_for(state="hidden")
    assert page.locator("input[name=postcode]").is_disabled()
    # the chosen card stands out from the others
    backgrounds = methods.locator(".choice-card").evaluate_all(
        "cards => cards.map(c => [c.querySelector('input').checked,"
        " getComputedStyle(c).backgroundColor])"
    )
    chosen = {colour for checked, colour in backgrounds if checked}
    others = {colour for checked, colour in backgrounds if not checked}
    assert len(chosen) == 1 and not chosen & others
    courier_radio.check()
    block.wait_for(state="visible")
    pickup_radio.check()
    block.wait_for(state="hidden")
    fill_contact_and_consents(page)
    summary = page.locator("[data-testid=order-summary]")
    # the delivery and the total follow the chosen method: pickup is free
    free = {"ru": "бесплатно", "en": "free"}[lang]
    assert summary.locator("[data-testid=delivery]").inner_text() == free
    assert money(summary, "total") == money(summary, "subtotal")
    courier_radio.check()
    assert summary.locator("[data-testid=delivery]").inner_text() != free
    assert money(summary, "total") > money(summary, "subtotal")
    pickup_radio.check()
    lines = summary.locator("[data-testid=summary-line]")
    if width >= 992:
        # the summary, its lines shown, stays in view while the form scrolls by
        assert lines.first.is_visible()
        page.get_by_role("button", name=proceed).scroll_into_view_if_needed()
        assert page.evaluate("window.scrollY") > 300
        box = summary.bounding_box()
        assert 0 <= box["y"] and box["y"] + box["height"] <= 700
    else:
        # on a phone it comes before the form, its lines folded, the figures in sight
        form_box = page.locator("form[action$='/checkout']").bounding_box()
        assert summary.bounding_box()["y"] < form_box["y"]
        assert not lines.first.is_visible()
        assert summary.locator("[data-testid=total]").is_visible()
        summary.locator("summary").click()
        assert lines.first.is_visible()
    # each line with its picture, loaded
    assert summary.locator(".summary-thumb img").evaluate_all(
        "images => images.length > 0 && images.every(i => i.complete && i.naturalWidth > 0)"
    )
    assert not axe_violations(page), format_violations(axe_violations(page))
    screenshot(page, f"checkout-details-pickup-{lang}-{width}")
    page.get_by_role("button", name=proceed).click()
    assert "/checkout/review" in page.url
    assert page.locator("[data-testid=pickup-point]").is_visible()
    assert page.locator("[data-testid=order-summary] [data-testid=summary-line]").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, f"checkout-review-pickup-{lang}-{width}")
    assert not axe_violations(page), format_violations(axe_violations(page))
    page.get_by_role("button", name=place).click()
    assert re.search(r"/orders/[0-9-]+/thanks$", page.url)


def test_without_javascript_the_address_block_stays(live_server, browser, shop_data):
    """No script: the address block is shown with its hint, and pickup still needs none."""
    base = live_server.url
    context = browser.new_context(java_script_enabled=False, locale="ru-RU",
                                  viewport={"width": 375, "height": 800},
                                  extra_http_headers={"Accept-Language": "ru-RU"})
    try:
        page = context.new_page()
        add_to_cart(page, base, shop_data[0])
        page.goto(base + "/checkout")
        methods = page.locator("[data-testid=delivery-options]")
        methods.get_by_role("radio", name=re.compile("Самовывоз")).check()
        assert page.locator("[data-address-block]").is_visible()
        assert page.get_by_text("Для самовывоза не нужен.").is_visible()
        fill_contact_and_consents(page)
        page.get_by_role("button", name="Перейти к проверке заказа").click()
        assert "/checkout/review" in page.url
        # a courier without an address is refused, with the reason beside each field
        page.goto(base + "/checkout")
        methods.get_by_role("radio", name=re.compile("Курьер")).check()
        fill_contact_and_consents(page)
        page.fill("input[name=postcode]", "1010")
        page.get_by_role("button", name="Перейти к проверке заказа").click()
        assert page.locator("#postcode-error").inner_text() == (
            "Индекс в России — шесть цифр, например 101000."
        )
        assert page.locator("#house-error").inner_text() == "Укажите номер дома."
        assert page.locator("#flat-error").count() == 0
        # filled in, it goes through, and the order keeps the address as one line
        fill_contact_and_consents(page)
        for name, value in ADDRESS.items():
            page.fill(f"input[name={name}]", value)
        page.get_by_role("button", name="Перейти к проверке заказа").click()
        assert "/checkout/review" in page.url
        assert "101000, Москва, ул. Мясницкая, д. 10, кв. 5" in page.locator("main").inner_text()
    finally:
        context.close()


@pytest.mark.parametrize(("locale", "lang", "width"), [("en-GB", "en", 1366), ("ru-RU", "ru", 375)])
def test_signed_in_shopper_saves_an_address_and_picks_it_next_time(
    live_server, new_page, screenshot, shop_data, locale, lang, width
):
    """A new address typed part by part is saved to the book when asked; the next checkout
    offers it as a card (chosen), the new address's fields hidden until "New address"."""
    base = live_server.url
    page = new_page(locale=locale, width=width)
    log_in(page, base, f"saver-{lang}-e2e@example.com")
    page.goto(base + "/account/addresses")
    for button in page.locator(".address-card form[action$='/delete'] button").all():
        with page.expect_navigation():
            button.click()
    add_to_cart(page, base, shop_data[0])
    page.goto(base + "/checkout")
    assert page.locator("[data-testid=saved-addresses]").count() == 0
    for name, token in (("postcode", "shipping postal-code"), ("region", "shipping address-level1"),
                        ("city", "shipping address-level2"), ("street", "shipping address-line1"),
                        ("flat", "shipping address-line2")):
        assert page.locator(f"input[name={name}]").get_attribute("autocomplete") == token
    assert page.locator("input[name=postcode]").get_attribute("inputmode") == "numeric"
    fill_details(page, payment="cash")
    page.check("#save_address")
    screenshot(page, f"checkout-details-new-address-{lang}-{width}")
    page.locator("form[action$='/checkout'] button[type=submit]").click()
    assert "/checkout/review" in page.url
    line = {"en": "101000, Москва, ул. Мясницкая, bldg 10, apt 5",
            "ru": "101000, Москва, ул. Мясницкая, д. 10, кв. 5"}[lang]
    assert line in page.locator("main").inner_text()
    page.locator("form[action$='/checkout/place'] button[type=submit]").click()
    assert re.search(r"/orders/[0-9-]+/thanks$", page.url)

    add_to_cart(page, base, shop_data[0])
    page.goto(base + "/checkout")
    cards = page.locator("[data-testid=saved-addresses] input[name=saved_address]")
    assert cards.count() == 2 and cards.first.is_checked()
    assert line in page.locator("[data-testid=saved-addresses]").inner_text()
    new_address = page.locator("[data-new-address]")
    assert new_address.is_hidden()
    page.locator("[data-testid=saved-addresses] label[for=sa-new]").click()
    new_address.wait_for(state="visible")
    assert page.locator("input[name=postcode]").is_enabled()
    page.locator("[data-testid=saved-addresses] label").first.click()
    new_address.wait_for(state="hidden")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, f"checkout-details-saved-address-{lang}-{width}")
    assert not axe_violations(page), format_violations(axe_violations(page))
    page.locator("#pm-cash").check()
    page.check("#accept_offer")
    page.check("#accept_privacy")
    page.locator("form[action$='/checkout'] button[type=submit]").click()
    assert "/checkout/review" in page.url and line in page.locator("main").inner_text()
    page.locator("form[action$='/checkout/place'] button[type=submit]").click()
    assert re.search(r"/orders/[0-9-]+/thanks$", page.url)

    # my orders: cards on a phone, a table on a desktop; the order's page has its timeline
    page.goto(base + "/account/orders")
    rows = page.locator("[data-testid=my-order]")
    assert rows.count() >= 2
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    badge = rows.first.locator(".status-badge")
    assert badge.is_visible()
    box, row_box = badge.bounding_box(), rows.first.bounding_box()
    assert row_box["x"] >= 0 and row_box["x"] + row_box["width"] <= width
    assert box["x"] + box["width"] <= row_box["x"] + row_box["width"] + 1
    screenshot(page, f"account-orders-{lang}-{width}")
    assert not axe_violations(page), format_violations(axe_violations(page))
    with page.expect_navigation():
        rows.first.locator("a").first.click()
    timeline = page.locator("[data-testid=status-timeline]")
    assert timeline.is_visible()
    assert timeline.locator("[aria-current=step]").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, f"account-order-{lang}-{width}")
    assert not axe_violations(page), format_violations(axe_violations(page))
