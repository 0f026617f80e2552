"""The product page in a real browser (issue 18.2): swatches and sizes choose the variant, the
gallery follows the colour, the address keeps the choice, add-to-cart needs no reload, the zoom
dialog works with the keyboard, the phone's buy bar stays on screen; and all of it without
JavaScript. axe-core and the W3C Nu checker look at the pages."""

import re

import pytest

from tests.e2e.axe import axe_violations, format_violations
from tests.nu_checker import check_documents, errors_only, format_report, require_checker

pytestmark = pytest.mark.e2e

# The demo's checked wool throw: grey, red and beige, two sizes at two prices.
THROW = "/product/pled-sherstianoi-v-kletku"
# Others that must look right: colours only, one variant, one colour in several sizes.
OTHERS = ("/product/shapka-s-pomponom", "/product/chainik-zavarochnyi-stekliannyi-800-ml",
          "/product/skovoroda-chugunnaia")


def variants(page):
    return page.evaluate("JSON.parse(document.getElementById('variant-data').textContent)")


def chosen(page):
    """The variant the page's form would send now."""
    vid = page.locator("form.add-to-cart input[name=variant_id]").first.input_value()
    return next(v for v in variants(page) if str(v["id"]) == vid)


def pick(page, name):
    """Click the swatch or size button named `name`, as a shopper would (the radio button
    itself is visually hidden)."""
    radio = page.get_by_role("radio", name=name)
    page.locator(f"label[for='{radio.get_attribute('id')}']").click()


def shown_pictures(page):
    return page.locator(".gallery-slide:not(.is-off) img").evaluate_all(
        "imgs => imgs.map(i => i.alt)"
    )


def test_swatches_and_sizes_choose_the_variant_its_pictures_and_the_address(
    live_server, new_page
):
    page = new_page(locale="en-GB")
    page.goto(live_server.url + THROW + "?lang=en")
    assert page.locator("[data-colour-name]").inner_text() == "grey"
    assert all("red" not in alt for alt in shown_pictures(page))
    pick(page, "red")
    v = chosen(page)
    assert v["colour"] == "красный"
    assert page.locator("[data-colour-name]").inner_text() == "red"
    # the red throw's own picture first, then the one of every colour; none of the grey
    assert shown_pictures(page) == ["Wool check throw, red", "Wool check throw: every colour"]
    assert page.locator(".gallery-thumb-item:not(.is-off)").count() == 2
    assert f"variant={v['id']}" in page.url and "lang=en" in page.url
    # the other size: another price, SKU and address
    pick(page, re.compile("150×200"))
    big = chosen(page)
    assert big["size"] == "150×200" and big["colour"] == "красный"
    assert page.locator("#variant-price").inner_text() == big["price"] != v["price"]
    assert page.locator("#variant-sku").inner_text() == big["sku"]
    assert page.locator("#variant-stock").inner_text() == big["stockText"]
    assert f"variant={big['id']}" in page.url
    # a reload (or the link shared) shows the same choice
    page.reload()
    assert chosen(page)["id"] == big["id"]
    assert page.get_by_role("radio", name="red").is_checked()
    assert page.locator("#variant-price").inner_text() == big["price"]
    assert shown_pictures(page)[0] == "Wool check throw, red"
    # the language switch keeps it too
    switch = page.locator(".lang-switch a[hreflang=ru]").get_attribute("href")
    assert f"variant%3D{big['id']}" in switch or f"variant={big['id']}" in switch


def test_add_to_cart_without_a_reload_keeps_the_choice(live_server, new_page):
    page = new_page(locale="en-GB")
    page.goto(live_server.url + THROW + "?lang=en")
    pick(page, "beige")
    pick(page, re.compile("150×200"))
    beige = chosen(page)
    page.evaluate("""() => {
        window.stillHere = true;
        document.addEventListener('lavka:cart-changed', e => { window.cartEvent = e.detail; });
    }""")
    page.locator("form.add-to-cart [data-buy-button]").click()
    status = page.locator("[data-buy-status]")
    status.locator("a[href='/cart']").wait_for()
    assert page.evaluate("window.stillHere") is True, "the page was reloaded"
    event = page.evaluate("window.cartEvent")
    assert event["open"] is True and event["count"] >= 1
    assert chosen(page)["id"] == beige["id"]
    assert page.get_by_role("radio", name="beige").is_checked()
    assert f"variant={beige['id']}" in page.url
    # the cart holds that very variant
    page.goto(live_server.url + "/cart?lang=en")
    assert "150×200 / beige" in page.locator("main").inner_text()


def test_a_refused_add_says_why(live_server, new_page):
    page = new_page(locale="en-GB")
    page.route("**/cart/add", lambda route: route.fulfill(
        status=409, content_type="application/json",
        body='{"ok": false, "error": "Only 2 left in stock."}',
    ))
    page.goto(live_server.url + THROW + "?lang=en")
    page.locator("form.add-to-cart [data-buy-button]").click()
    status = page.locator("[data-buy-status].is-error")
    status.wait_for()
    assert status.inner_text() == "Only 2 left in stock."
    assert page.locator("form.add-to-cart [data-buy-button]").is_enabled()


def test_zoom_opens_the_large_photo_and_the_keyboard_moves_and_closes_it(
    live_server, new_page
):
    page = new_page(locale="en-GB")
    page.goto(live_server.url + THROW + "?lang=en")
    first = page.locator(".gallery-slide:not(.is-off) a").first
    first.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog[data-zoom-dialog][open]")
    dialog.wait_for()
    image = dialog.locator("[data-zoom-image]")
    assert "/media/products/1024/" in image.get_attribute("src")
    assert dialog.locator("[data-zoom-caption]").inner_text().endswith("1 / 4")
    page.keyboard.press("ArrowRight")
    assert dialog.locator("[data-zoom-caption]").inner_text().endswith("2 / 4")
    image.click()
    assert "is-zoomed" in image.get_attribute("class")
    page.keyboard.press("Escape")
    assert page.locator("dialog[data-zoom-dialog][open]").count() == 0
    assert page.evaluate("document.activeElement.classList.contains('gallery-zoom')")
    # the gallery shows the photo the dialog was at
    assert page.locator("[data-gallery-counter]").inner_text() == "2 / 4"


def test_without_javascript_every_photo_shows_and_the_variant_list_is_sent(
    live_server, browser
):
    context = browser.new_context(java_script_enabled=False, locale="en-GB",
                                  viewport={"width": 375, "height": 800},
                                  extra_http_headers={"Accept-Language": "en-GB"})
    try:
        page = context.new_page()
        page.goto(live_server.url + THROW + "?lang=en")
        slides = page.locator(".gallery-slide")
        assert slides.count() >= 5  # three colours' pictures and the lineup, all shown
        assert all(slides.nth(i).is_visible() for i in range(slides.count()))
        assert slides.first.locator("a").get_attribute("href").startswith("/media/products/1024/")
        assert not page.locator(".variant-picker").is_visible()
        radios = page.locator("form.add-to-cart input[name=variant_id][type=radio]")
        assert radios.count() == 6
        label = page.locator("label", has_text="150×200 / red")
        label.click()
        vid = page.locator("#" + label.get_attribute("for")).get_attribute("value")
        with page.expect_navigation():
            page.locator("form.add-to-cart button[type=submit]").click()
        assert "/product/pled-sherstianoi-v-kletku" in page.url
        page.goto(live_server.url + "/cart?lang=en")
        assert "150×200 / red" in page.locator("main").inner_text()
        assert vid
    finally:
        context.close()


@pytest.mark.parametrize("width", [320, 375])
def test_phone_buy_bar_stays_on_screen_without_covering_or_shifting(
    live_server, new_page, width
):
    page = new_page(locale="ru-RU", width=width, height=700)
    page.goto(live_server.url + THROW)
    page.evaluate("""() => {
        window.shifts = 0;
        new PerformanceObserver(list => {
            for (const e of list.getEntries()) { if (!e.hadRecentInput) window.shifts += e.value; }
        }).observe({type: 'layout-shift', buffered: true});
    }""")
    bar = page.locator("[data-buy-bar]")
    page.mouse.wheel(0, 5000)
    page.wait_for_timeout(300)
    box = bar.bounding_box()
    assert box["y"] + box["height"] == pytest.approx(700, abs=1)
    assert bar.locator("[data-buy-button]").is_visible()
    assert "₽" in bar.locator("[data-bar-price]").inner_text()
    # the page ends below the bar: the footer's last line is not under it
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_timeout(200)
    footer = page.locator("footer").bounding_box()
    assert footer["y"] + footer["height"] <= box["y"] + 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate("window.shifts") == 0
    # the bar's price follows the choice
    pick(page, re.compile("150×200"))
    assert bar.locator("[data-bar-price]").inner_text() == chosen(page)["price"]


def test_other_kinds_of_products_look_right_and_fit(live_server, new_page, screenshot):
    for width in (320, 375, 1366):
        page = new_page(locale="en-GB", width=width)
        for path in (THROW, *OTHERS):
            page.goto(live_server.url + path + "?lang=en")
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
            assert page.locator("form.add-to-cart input[name=variant_id]").count() == 1
        screenshot(page, f"product-single-en-{width}")


@pytest.mark.parametrize("width", [375, 1366])
def test_axe_finds_nothing(live_server, new_page, width):
    page = new_page(locale="ru-RU", width=width)
    for path in (THROW, OTHERS[0]):
        page.goto(live_server.url + path)
        bad = axe_violations(page)
        assert not bad, format_violations(bad)
    page.goto(live_server.url + THROW)
    pick(page, "красный")
    page.locator(".gallery-slide:not(.is-off) a").first.click()
    page.locator("dialog[data-zoom-dialog][open]").wait_for()
    bad = axe_violations(page)
    assert not bad, format_violations(bad)


def test_the_nu_checker_finds_no_error(live_server, new_page):
    require_checker()
    page = new_page()
    documents = {}
    for path in (THROW, *OTHERS):
        for lang in ("ru", "en"):
            response = page.request.get(f"{live_server.url}{path}?lang={lang}")
            documents[f"{path} {lang}"] = response.text()
    bad = errors_only(check_documents(documents))
    assert not any(bad.values()), format_report(bad)
