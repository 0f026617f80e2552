"""The storefront in a real browser: menu, filters, search and product pages, ru and en,
at phone and desktop widths. Screenshots land in tests/e2e/screenshots/ to be looked at."""

import re

import pytest

from tests.e2e.helpers import open_menu

pytestmark = pytest.mark.e2e

LOCALES = [("ru-RU", "ru"), ("en-GB", "en")]
WIDTHS = [375, 1366]


def wait_for_images(page, selector):
    """Scroll every image into view (they load lazily), check each one, then settle the page.

    Every image must have real pixels (drawn onto a canvas), width and height attributes and
    alt text.
    """
    images = page.locator(selector)
    assert images.count() > 0
    for i in range(images.count()):
        images.nth(i).scroll_into_view_if_needed()
    page.wait_for_function(
        "sel => [...document.querySelectorAll(sel)].every(i => i.complete && i.naturalWidth > 0)",
        arg=selector,
    )
    page.evaluate(
        "sel => Promise.all([...document.querySelectorAll(sel)].map(i => i.decode()))", selector
    )
    faulty = page.evaluate(
        """sel => [...document.querySelectorAll(sel)].filter(img => {
            const canvas = document.createElement('canvas');
            canvas.width = 8; canvas.height = 8;
            const ctx = canvas.getContext('2d');
            ctx.drawImage(img, 0, 0, 8, 8);
            return ctx.getImageData(4, 4, 1, 1).data[3] === 0
                || !img.getAttribute('width') || !img.getAttribute('height') || !img.alt;
        }).map(img => img.currentSrc)""",
        selector,
    )
    assert faulty == []
    page.evaluate("window.scrollTo(0, 0)")
    # Headless Chromium may paint lazy images blank in a full-page capture taken too early:
    # let the network go quiet, then take a throwaway capture so every tile is rastered.
    page.wait_for_load_state("networkidle")
    page.screenshot(full_page=True)


@pytest.mark.parametrize(("locale", "lang"), LOCALES)
@pytest.mark.parametrize("width", WIDTHS)
def test_category_page(live_server, new_page, screenshot, locale, lang, width):
    page = new_page(locale=locale, width=width)
    response = page.goto(live_server.url + "/catalog/shoes")
    assert response.status == 200
    heading = {"ru": "Обувь", "en": "Shoes"}[lang]
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert page.locator(".product-card").count() >= 8
    assert page.locator("nav[aria-label] .breadcrumb").count() == 1
    filters = page.locator("#filters-panel")
    if width < 992:
        assert not filters.is_visible()
        page.get_by_role(
            "button", name={"ru": "Фильтры и сортировка", "en": "Filters and sorting"}[lang]
        ).click()
        filters.wait_for(state="visible")
    wait_for_images(page, ".product-card img")
    screenshot(page, f"category-{lang}-{width}")


@pytest.mark.parametrize(("locale", "lang"), LOCALES)
@pytest.mark.parametrize("width", WIDTHS)
def test_search_page(live_server, new_page, screenshot, locale, lang, width):
    page = new_page(locale=locale, width=width)
    query = {"ru": "кроссовок", "en": "shoe"}[lang]
    page.goto(live_server.url + "/")
    open_menu(page)
    page.locator("#site-search").fill(query)
    page.locator("#site-search").press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="), wait_until="domcontentloaded")
    cards = page.locator(".product-card")
    assert cards.count() >= 3
    expected = {"ru": "Кроссовки", "en": "shoes"}[lang]
    assert expected in cards.first.inner_text()
    wait_for_images(page, ".product-card img")
    screenshot(page, f"search-{lang}-{width}")


@pytest.mark.parametrize(("locale", "lang"), LOCALES)
@pytest.mark.parametrize("width", WIDTHS)
def test_product_page(live_server, new_page, screenshot, locale, lang, width):
    page = new_page(locale=locale, width=width)
    response = page.goto(live_server.url + "/product/krossovki-begovye-legkie")
    assert response.status == 200
    title = {"ru": "Кроссовки беговые лёгкие", "en": "Lightweight running shoes"}[lang]
    assert page.get_by_role("heading", level=1).inner_text() == title
    form = page.locator("form.add-to-cart")
    assert form.get_attribute("action") == "/cart/add"
    # colours as swatches named in the reader's language, sizes as buttons (tests/e2e/
    # test_product_page.py drives them); the chosen variant's price and stock above
    swatches = form.locator("input[name=colour]")
    assert swatches.count() >= 1 and form.locator("input[name=size]").count() >= 2
    assert "₽" in page.locator("#variant-price").inner_text()
    assert re.search(r"\d+ (шт|piece)|Нет в наличии|Out of stock",
                     page.locator("#variant-stock").inner_text())
    shown = ("main .gallery-slide:not(.is-off) img, main .gallery-thumb-item:not(.is-off) img, "
             "main .product-card img")
    wait_for_images(page, shown)
    screenshot(page, f"product-{lang}-{width}")


def test_a_shopper_reaches_a_product_by_menu_and_filters(live_server, new_page):
    page = new_page(locale="ru-RU", width=375)
    page.goto(live_server.url + "/")
    open_menu(page)
    page.get_by_role("button", name="Каталог").click()
    page.locator(".dropdown-menu.show").get_by_role("link", name="Кроссовки").click()
    page.wait_for_url(re.compile(r"/catalog/sneakers"), wait_until="domcontentloaded")
    page.get_by_role("button", name="Фильтры и сортировка").click()
    page.locator("#filters-panel").wait_for(state="visible")
    page.get_by_label("Только в наличии").check()
    page.locator("#filters-panel label", has_text="42").first.click()
    page.get_by_role("button", name="Применить").click()
    page.wait_for_url(re.compile(r"in_stock=1"), wait_until="domcontentloaded")
    assert "size=42" in page.url
    # sorting applies at once (catalog.js) and keeps the filters
    page.get_by_role("button", name="Фильтры и сортировка").click()
    page.get_by_label("Сортировка").select_option("price_desc")
    page.wait_for_url(re.compile(r"sort=price_desc"), wait_until="domcontentloaded")
    assert "in_stock=1" in page.url and "size=42" in page.url
    prices = [
        int(re.sub(r"\D", "", t.split(",")[0]))
        for t in page.locator(".product-card .price").all_inner_texts()
    ]
    assert prices and prices == sorted(prices, reverse=True)
    page.locator(".product-card a").first.click()
    page.wait_for_url(re.compile(r"/product/"), wait_until="domcontentloaded")
    assert page.locator("form.add-to-cart").count() == 1


def test_variant_choice_updates_price_and_quantity_limit(live_server, new_page):
    page = new_page(locale="en-GB")
    page.goto(live_server.url + "/product/krossovki-begovye-legkie")
    sizes = page.locator(
        "form.add-to-cart label[data-option=size]:not(.is-sold-out):not(.is-missing)"
    )
    assert sizes.count() >= 2
    last = sizes.nth(sizes.count() - 1)
    last.click()
    chosen = page.locator("input[name=variant_id]").input_value()
    variant = next(v for v in page.evaluate(
        "JSON.parse(document.getElementById('variant-data').textContent)"
    ) if str(v["id"]) == chosen)
    assert variant["size"] == last.get_attribute("data-value")
    assert page.locator("#quantity").get_attribute("max") == str(variant["max"])
    assert page.locator("#variant-price").inner_text() == variant["price"]


def test_keyboard_reaches_search_and_the_skip_link(live_server, new_page):
    page = new_page(locale="en-GB")
    page.goto(live_server.url + "/catalog/shoes")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className").find("skip-link") >= 0
    page.keyboard.press("Enter")
    page.locator("#site-search").focus()
    page.keyboard.type("boot")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=boot"), wait_until="domcontentloaded")
    assert page.locator(".product-card").count() >= 3
    # every form control on a listing has a label
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), select')]
              .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
              .map(el => el.name)"""
    )
    assert unlabelled == []
