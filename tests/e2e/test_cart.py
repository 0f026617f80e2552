"""The cart in a real browser: the header's cart and its count stay visible on a phone (outside
the collapsed menu), lines show the product's picture, and the quantity steppers work with and
without JavaScript (with it, a typed quantity is sent without an "Update" click). Screenshots
of a cart of three lines land in tests/e2e/screenshots/ to be looked at."""

import re

import pytest

from tests.e2e.test_storefront import wait_for_images

pytestmark = pytest.mark.e2e


def fill_cart(page, base, lines=3):
    """Add one of each of the first `lines` products on the home page, through the product
    page's own form (its token and variant), whatever its picker looks like."""
    page.goto(base + "/")
    slugs = []
    links = page.locator("a[href^='/product/']")
    for href in links.evaluate_all("els => els.map(a => a.getAttribute('href'))"):
        slug = href.split("?", 1)[0]
        if slug not in slugs:
            slugs.append(slug)
    added = 0
    for slug in slugs:
        page.goto(base + slug)
        form = page.locator("form.add-to-cart")
        variants = form.locator("input[name=variant_id]:not([disabled])")
        if not variants.count():
            continue
        checked = form.locator("input[name=variant_id]:checked")
        variant = (checked if checked.count() else variants).first.get_attribute("value")
        response = page.request.post(base + "/cart/add", form={
            "csrf_token": form.locator("input[name=csrf_token]").get_attribute("value"),
            "variant_id": variant,
            "quantity": "1",
        }, max_redirects=0)
        assert response.status in (302, 303)
        added += 1
        if added == lines:
            return
    pytest.fail(f"only {added} products could be added")


def quantities(page):
    return [int(v) for v in page.locator(".cart-lines .qty-input").evaluate_all(
        "els => els.map(e => e.value)")]


@pytest.mark.parametrize("locale, lang, width", [("ru-RU", "ru", 375), ("en-GB", "en", 1366),
                                                 ("ru-RU", "ru", 1366), ("en-GB", "en", 375)])
def test_cart_lines_and_the_header_cart(live_server, new_page, screenshot, locale, lang, width):
    base = live_server.url
    page = new_page(locale=locale, width=width)
    fill_cart(page, base)
    page.goto(f"{base}/cart?lang={lang}")
    assert page.locator("[data-testid=cart-line]").count() == 3
    # The header's cart is seen without opening the menu, with its count and a spoken name.
    cart_link = page.locator("[data-testid=header-cart]")
    assert cart_link.is_visible()
    assert cart_link.locator(".badge").is_visible()
    assert cart_link.locator(".badge").inner_text() == "3"
    assert page.locator("#mainNav [data-testid=header-cart]").count() == 0
    # (the English words until the lead merges this msgid's Russian into the catalogue)
    name = {"ru": "(Корзина, 3 товара|Cart, 3 items)", "en": "Cart, 3 items"}[lang]
    assert page.get_by_role("link", name=re.compile("^" + name)).count() == 1
    # Every line shows its product's picture.
    wait_for_images(page, ".cart-line-thumb img")
    assert page.locator(".cart-line-thumb img").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, f"cart-{lang}-{width}")


def test_steppers_post_the_next_quantity_without_javascript(live_server, browser):
    base = live_server.url
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        fill_cart(page, base, lines=2)
        page.goto(base + "/cart")
        assert quantities(page) == [1, 1]
        page.locator("[data-testid=qty-more]").nth(1).click()
        page.wait_for_load_state()
        assert quantities(page) == [1, 2]
        page.locator("[data-testid=qty-more]").nth(1).click()
        page.wait_for_load_state()
        page.locator("[data-testid=qty-less]").nth(1).click()
        page.wait_for_load_state()
        assert quantities(page) == [1, 2]
        assert page.locator("[data-testid=qty-less]").first.is_disabled()  # not below 1
        # The number with its "Update" button (shown without scripts).
        page.locator(".qty-input").first.fill("3")
        page.locator(".qty-update").first.click()
        page.wait_for_load_state()
        assert quantities(page) == [3, 2]
    finally:
        context.close()


def test_a_typed_quantity_is_sent_without_an_update_click(live_server, new_page):
    base = live_server.url
    page = new_page(locale="en-GB", width=1366)
    fill_cart(page, base, lines=2)
    page.goto(base + "/cart")
    assert not page.locator(".qty-update").first.is_visible()  # inside <noscript>
    subtotal = page.locator("[data-testid=cart-subtotal]").inner_text()
    page.locator(".qty-input").nth(1).fill("2")
    with page.expect_navigation():
        page.locator(".qty-input").nth(1).press("Tab")  # leaving the field fires "change"
    assert quantities(page) == [1, 2]
    assert page.locator("[data-testid=cart-subtotal]").inner_text() != subtotal
    with page.expect_navigation():
        page.locator("[data-testid=qty-more]").first.click()
    assert quantities(page) == [2, 2]
