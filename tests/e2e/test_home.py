"""The home page and the storefront's look in a real browser, served by uWSGI (issue 18.1).

The home page: hero, category tiles and shelves whose links lead to real listings; nothing
moves while it loads (CLS 0). Then a sweep over the storefront's pages at a phone's and a
desktop's width: no horizontal overflow and no axe-core (WCAG A/AA) violation.
"""

import re

import pytest

from tests.e2e.axe import axe_violations, format_violations
from tests.e2e.helpers import open_menu

pytestmark = pytest.mark.e2e

# Layout shifts summed from the first paint, as Lighthouse counts CLS (a shift right after
# an input does not count; there is none here).
CLS_SCRIPT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve(total), 1500);
})"""


def overflow(page) -> int:
    """How many pixels the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize(
    ("locale", "lang", "heading"),
    [
        ("ru-RU", "ru", "Всё на каждый день"),
        ("en-GB", "en", "Everything for every day"),
    ],
)
@pytest.mark.parametrize("width", [375, 1366])
def test_home_page(live_server, new_page, screenshot, locale, lang, heading, width):
    page = new_page(locale=locale, width=width)
    response = page.goto(live_server.url + "/")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == lang
    assert page.get_by_role("heading", level=1).inner_text() == heading
    # nothing moved while the page loaded (the hero's pictures and the tiles have fixed boxes)
    assert page.evaluate(CLS_SCRIPT) == 0
    # the hero's main picture is there, sized, and asked for first
    hero = page.locator(".home-hero-pic img").first
    assert hero.get_attribute("fetchpriority") == "high"
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=hero.element_handle())
    # a tile with a picture for every top category
    tiles = page.locator(".category-tile")
    assert tiles.count() >= 6
    assert page.locator(".category-tile img").count() == tiles.count()
    # the three shelves, each with cards
    for title in ("sale-title", "new-title", "popular-title"):
        shelf = page.locator(f"section[aria-labelledby={title}]")
        assert shelf.locator(".product-card").count() >= 4, title
    first_image = page.locator("section[aria-labelledby=new-title] .product-card img").first
    first_image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=first_image.element_handle()
    )
    assert overflow(page) == 0
    screenshot(page, f"home-{lang}-{width}")


def test_home_links_lead_to_real_listings(live_server, new_page):
    page = new_page(locale="en-GB", width=1366)
    page.goto(live_server.url + "/")
    # the hero's call to action scrolls to the categories
    page.get_by_role("link", name="Choose a category").click()
    page.wait_for_url(re.compile(r"#cats-title$"))
    # a tile opens its category
    name = page.locator(".category-tile-name").first.inner_text()
    page.locator(".category-tile").first.click()
    page.wait_for_url(re.compile(r"/catalog/"), wait_until="domcontentloaded")
    assert page.get_by_role("heading", level=1).inner_text() == name
    # every shelf's "more" link opens a listing with products: new arrivals and the sale
    # their own pages, the popular products their category
    page.goto(live_server.url + "/")
    hrefs = page.locator(".section-more").evaluate_all("links => links.map(a => a.href)")
    assert len(hrefs) == 3
    assert {href.removeprefix(live_server.url) for href in hrefs} >= {"/new", "/sale"}
    for href in hrefs:
        response = page.goto(href)
        assert response.status == 200
        assert page.locator(".product-card").count() > 0, href


def test_a_phone_scrolls_a_shelf_sideways_not_the_page(live_server, new_page):
    page = new_page(locale="ru-RU", width=375)
    page.goto(live_server.url + "/")
    shelf = page.locator("section[aria-labelledby=new-title] .product-shelf")
    assert shelf.evaluate("el => el.scrollWidth > el.clientWidth")
    assert overflow(page) == 0
    # the search field is at hand without opening the menu
    assert page.locator("#site-search").is_visible()


def test_language_switch_and_admin_redirect(live_server, new_page):
    page = new_page(locale="ru-RU")
    page.goto(live_server.url + "/")
    open_menu(page)
    page.locator(".lang-switch a", has_text="EN").click()
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(live_server.url + "/admin/")
    assert "/account/login" in page.url


def put_a_product_in_the_cart(page, base) -> str:
    """The first product of the clothing category, added to this page's cart: its path."""
    page.goto(base + "/catalog/clothing")
    product = page.locator(".product-card a").first.get_attribute("href")
    page.goto(base + product)
    page.locator("form[action='/cart/add'] [type=submit]").first.click()
    page.wait_for_load_state()
    return product


@pytest.mark.parametrize("width", [375, 1366])
def test_storefront_pages_fit_and_pass_axe(live_server, new_page, width):
    """Home, new arrivals, sale, category, search, product, cart (with a line), log-in,
    registration and a legal page: no sideways scrolling and no WCAG A/AA violation, in
    Russian and in English."""
    page = new_page(locale="ru-RU", width=width)
    product = put_a_product_in_the_cart(page, live_server.url)
    legal = page.locator("[data-testid=legal-links] a").first.get_attribute("href")
    problems = []
    for lang in ("ru", "en"):
        for path in (
            "/",
            "/catalog/clothing",
            "/new",
            "/sale",
            "/search?q=" + ("кружка" if lang == "ru" else "mug"),
            product,
            "/cart",
            "/account/login",
            "/account/register",
            legal,
        ):
            url = f"{live_server.url}{path}{'&' if '?' in path else '?'}lang={lang}"
            assert page.goto(url).status == 200, url
            if overflow(page):
                problems.append(f"{url}: {overflow(page)} px wider than the window")
            bad = axe_violations(page)
            if bad:
                problems.append(f"{url}:\n{format_violations(bad)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", [320, 768])
def test_storefront_pages_fit_the_other_widths(live_server, new_page, width):
    """The narrowest phone and a tablet: the same pages and the checkout, with a line in the
    cart, scroll only down (axe runs at 375 and 1366 above)."""
    page = new_page(locale="ru-RU", width=width)
    product = put_a_product_in_the_cart(page, live_server.url)
    problems = []
    for lang in ("ru", "en"):
        for path in ("/", "/catalog/clothing?size=M", "/new", "/sale",
                     "/search?q=" + ("кружка" if lang == "ru" else "mug"), product, "/cart",
                     "/checkout", "/account/login", "/account/register"):
            url = f"{live_server.url}{path}{'&' if '?' in path else '?'}lang={lang}"
            assert page.goto(url).status == 200, url
            if overflow(page):
                problems.append(f"{url}: {overflow(page)} px wider than the window")
    assert not problems, "\n".join(problems)
