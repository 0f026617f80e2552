"""The cart in a real browser: the header's cart and its count stay visible on a phone (outside
the collapsed menu), lines show the product's picture, the quantity steppers, remove and undo
work in place with JavaScript and as plain forms without it, and the header's cart opens the
mini-cart panel (also after an add made without a page load). Screenshots of the cart and the
mini-cart land in tests/e2e/screenshots/ to be looked at."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import axe_violations, format_violations
from tests.e2e.test_storefront import wait_for_images
from tests.nu_checker import check_documents, errors_only, format_report, require_checker

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


def _mark(page):
    """A mark that a page load would wipe out: its presence proves nothing was reloaded."""
    page.evaluate("window.__noReload = true")


def _not_reloaded(page):
    return page.evaluate("window.__noReload === true")


def _text(page, testid):
    return page.locator(f"[data-testid={testid}]").inner_text()


def test_quantities_change_in_place(live_server, new_page):
    """Steppers and a typed quantity change the line total, the summary and the header's count
    without a page load; several quick clicks end in one quantity; a screen reader is told."""
    base = live_server.url
    page = new_page(locale="en-GB", width=1366)
    fill_cart(page, base, lines=2)
    page.goto(base + "/cart?lang=en")
    _mark(page)
    assert not page.locator(".qty-update").first.is_visible()  # inside <noscript>
    subtotal = _text(page, "cart-subtotal")
    line_total = page.locator("[data-testid=line-total]").nth(1).inner_text()
    with page.expect_response(lambda r: r.url.endswith("/cart/update")) as answer:
        page.locator("[data-testid=qty-more]").nth(1).click()
        page.locator("[data-testid=qty-more]").nth(1).click()
    assert answer.value.status == 200
    expect(page.locator("[data-cart-status]")).to_contain_text("Cart total")
    assert quantities(page) == [1, 3]
    assert page.locator("[data-testid=line-total]").nth(1).inner_text() != line_total
    assert _text(page, "cart-subtotal") != subtotal
    assert page.locator("[data-testid=header-cart] .badge").inner_text() == "4"
    assert "Cart total" in page.locator("[data-cart-status]").inner_text()
    # A typed quantity goes when the field is left (no "Update" click).
    with page.expect_response(lambda r: r.url.endswith("/cart/update")):
        page.locator(".qty-input").nth(1).fill("2")
        page.locator(".qty-input").nth(1).press("Tab")
    expect(page.locator("[data-testid=header-cart] .badge")).to_have_text("3")
    assert quantities(page) == [1, 2]
    assert _not_reloaded(page)
    page.reload()
    assert quantities(page) == [1, 2]  # kept by the server


def test_remove_and_undo_in_place(live_server, new_page):
    base = live_server.url
    page = new_page(locale="en-GB", width=1366)
    fill_cart(page, base, lines=2)
    page.goto(base + "/cart?lang=en")
    _mark(page)
    name = page.locator(".cart-line-info a").first.inner_text()
    page.locator("[data-testid=cart-remove]").first.click()
    row = page.locator("[data-testid=cart-undo-row]")
    row.wait_for()
    assert f"Removed from your cart: {name}" in row.inner_text()
    assert page.locator("[data-testid=cart-line]").count() == 1
    assert page.locator("[data-testid=header-cart] .badge").inner_text() == "1"
    # The keyboard is on "Undo", which brings the line back with its quantity.
    assert page.evaluate("document.activeElement.matches('[data-testid=cart-undo]')")
    page.keyboard.press("Enter")
    page.locator("[data-testid=cart-line]").nth(1).wait_for()
    assert page.locator("[data-testid=cart-undo-row]").count() == 0
    assert page.locator(".cart-line-info a").first.inner_text() == name  # where it was
    assert page.locator("[data-testid=header-cart] .badge").inner_text() == "2"
    # The last line gone: the empty cart says so, with a way on.
    for _ in range(2):
        page.locator("[data-testid=cart-remove]").first.click()
        expect(page.locator("[data-testid=cart-line]")).to_have_count(1 - _)
    page.locator("[data-testid=cart-empty]").wait_for()
    assert page.locator("[data-testid=header-cart] .badge").is_hidden()
    assert page.locator("[data-testid=cart-undo-row]").count() == 2
    assert _not_reloaded(page)
    page.reload()
    assert page.locator("[data-testid=cart-line]").count() == 0


def test_remove_and_undo_without_javascript(live_server, browser):
    base = live_server.url
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800},
                                  locale="en-GB", extra_http_headers={"Accept-Language": "en-GB"})
    try:
        page = context.new_page()
        fill_cart(page, base, lines=2)
        page.goto(base + "/cart")
        page.locator("[data-testid=qty-more]").first.click()
        page.wait_for_load_state()
        page.locator("[data-testid=cart-remove]").first.click()
        page.wait_for_load_state()
        assert page.locator("[data-testid=cart-line]").count() == 1
        page.locator("[data-testid=cart-undo]").click()
        page.wait_for_load_state()
        assert page.locator("[data-testid=cart-line]").count() == 2
        assert sorted(quantities(page)) == [1, 2]
        assert "Returned to your cart." in page.locator(".alert-success").inner_text()
        # The header's cart is a plain link to the cart page.
        page.goto(base + "/")
        page.locator("[data-testid=header-cart]").click()
        page.wait_for_load_state()
        assert page.url.endswith("/cart")
    finally:
        context.close()


@pytest.mark.parametrize("locale, lang, width", [("ru-RU", "ru", 375), ("en-GB", "en", 1366)])
def test_the_mini_cart_opens_from_the_header(live_server, new_page, screenshot, locale, lang,
                                             width):
    base = live_server.url
    page = new_page(locale=locale, width=width)
    fill_cart(page, base, lines=2)
    page.goto(f"{base}/?lang={lang}")
    _mark(page)
    page.locator("[data-testid=header-cart]").click()
    panel = page.locator("#mini-cart")
    panel.locator("[data-testid=mini-cart-line]").first.wait_for()
    page.locator("#mini-cart.show:not(.showing)").wait_for()
    assert panel.locator("[data-testid=mini-cart-line]").count() == 2
    assert panel.locator("[data-testid=mini-cart-subtotal]").is_visible()
    assert panel.locator("[data-testid=mini-cart-checkout]").is_visible()
    # Within the screen once the slide-in has settled (a loaded machine paints its last
    # frames after Bootstrap's transitionend).
    page.wait_for_function(
        """() => { const r = document.querySelector('#mini-cart').getBoundingClientRect();
                   return r.left >= 0 && r.right <= window.innerWidth + 1; }""", timeout=5000)
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1  # within a phone's screen
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    bad = axe_violations(page)
    assert not bad, format_violations(bad)
    screenshot(page, f"mini-cart-{lang}-{width}")
    page.keyboard.press("Escape")
    expect(page.locator("#mini-cart.show")).to_have_count(0)
    # Back on the header's link, and the page never reloaded.
    assert page.evaluate("document.activeElement.matches('[data-testid=header-cart]')")
    assert _not_reloaded(page)
    # "Go to cart" leads to the cart page.
    page.locator("[data-testid=header-cart]").click()
    panel.locator("[data-testid=mini-cart-to-cart]").click()
    page.wait_for_url(re.compile(r"/cart$"))


def test_the_mini_cart_follows_an_add_made_without_a_page_load(live_server, new_page):
    """What the product page's script does after its JSON add: the header's count follows and,
    with `open`, the panel shows the new cart."""
    base = live_server.url
    page = new_page(locale="en-GB", width=1366)
    fill_cart(page, base, lines=1)
    page.goto(base + "/?lang=en")
    hrefs = page.locator("a[href^='/product/']").evaluate_all(
        "els => els.map(a => a.getAttribute('href').split('?')[0])")
    page.goto(base + hrefs[-1] + "?lang=en")  # not the first product, which is in the cart
    _mark(page)
    form = page.locator("form.add-to-cart")
    variant = form.locator("input[name=variant_id]:not([disabled])").first.get_attribute("value")
    answer = page.evaluate("""async ([token, variant]) => {
        const body = new URLSearchParams({csrf_token: token, variant_id: variant, quantity: "1"});
        const response = await fetch("/cart/add", {method: "POST", body,
            headers: {Accept: "application/json"}});
        const data = await response.json();
        document.dispatchEvent(new CustomEvent("lavka:cart-changed",
            {detail: {count: data.count, open: true}}));
        return data;
    }""", [form.locator("input[name=csrf_token]").get_attribute("value"), variant])
    assert answer["ok"] is True and answer["count"] >= 2
    panel = page.locator("#mini-cart")
    panel.locator("[data-testid=mini-cart-line]").first.wait_for()
    assert page.locator("[data-testid=header-cart] .badge").inner_text() == str(answer["count"])
    expect(page.locator("[data-testid=header-cart] > .visually-hidden")).to_have_text(
        "Cart, 2 items")
    assert answer["count"] == 2 and panel.locator("[data-testid=mini-cart-line]").count() == 2
    assert _not_reloaded(page)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_cart_pages_are_valid_and_accessible(live_server, new_page, lang):
    """axe-core finds nothing on the cart page, after an in-place change and with an undo row,
    and the W3C Nu checker finds the page and the mini-cart fragment valid."""
    base = live_server.url
    page = new_page(locale="en-GB" if lang == "en" else "ru-RU", width=375)
    fill_cart(page, base, lines=2)
    page.goto(f"{base}/cart?lang={lang}")
    bad = axe_violations(page)
    assert not bad, format_violations(bad)
    with page.expect_response(lambda r: r.url.endswith("/cart/update")):
        page.locator("[data-testid=qty-more]").first.click()
    page.locator("[data-testid=cart-remove]").nth(1).click()
    page.locator("[data-testid=cart-undo-row]").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    bad = axe_violations(page)
    assert not bad, format_violations(bad)
    require_checker()
    html = page.request.get(f"{base}/cart?lang={lang}").text()
    fragment = page.request.get(f"{base}/cart/mini?lang={lang}").text()
    wrapped = (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>mini</title>'
               f"</head><body>{fragment}</body></html>")
    results = check_documents({"cart": html, "mini-cart": wrapped, "dom": page.content()})
    bad = errors_only(results)
    assert not any(bad.values()), format_report(bad)
