"""The back office fits the screen (issues 14.13, 19.1): at 1366 px the orders list shows its
total without scrolling sideways beside the side navigation, even for a long name and address;
at 375 px lists are cards and never widen the page; the product form sits beside the menu.
Screenshots at both widths, ru and en.
"""

import pytest

from tests.e2e.test_admin import PASSWORD, helper, staff_login

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def layout_manager(live_server):
    email = "manager-layout@example.com"
    helper(live_server, "staff", email, PASSWORD, "manager")
    for n in range(2):
        helper(
            live_server,
            "order",
            "new",
            "Константин Константинопольский-Щедрин",
            f"konstantin.konstantinopolsky{n}@example-long-domain.ru",
        )
    return email


def _overflow(page) -> int:
    """How many pixels the page is wider than the window (0 when it fits)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize(("locale", "lang"), [("ru-RU", "ru"), ("en-GB", "en")])
def test_orders_list_shows_the_total_at_1366(
    live_server, layout_manager, new_page, screenshot, locale, lang
):
    page = new_page(locale=locale, width=1366)
    staff_login(page, live_server, layout_manager)
    page.goto(live_server.url + f"/lang/{lang}?next=/admin/orders/")
    table = page.locator(".table-responsive").first
    box = table.bounding_box()
    assert table.evaluate("el => el.scrollWidth - el.clientWidth") == 0
    for cell in (page.locator("th.col-total").first, page.locator("td.col-total").first):
        right = cell.bounding_box()
        assert right["x"] + right["width"] <= box["x"] + box["width"] + 1
        assert right["x"] + right["width"] <= 1366
    assert _overflow(page) == 0
    screenshot(page, f"admin-orders-long-{lang}-1366")


@pytest.mark.parametrize(("locale", "lang"), [("ru-RU", "ru"), ("en-GB", "en")])
def test_lists_never_widen_a_phone_page(
    live_server, layout_manager, new_page, screenshot, locale, lang
):
    page = new_page(locale=locale, width=375)
    staff_login(page, live_server, layout_manager)
    page.goto(live_server.url + f"/lang/{lang}?next=/admin/")
    for path in ("/admin/orders/", "/admin/products/", "/admin/delivery/", "/admin/categories/"):
        page.goto(live_server.url + path)
        assert _overflow(page) == 0, path
        name = path.strip("/").replace("/", "-")
        screenshot(page, f"{name}-{lang}-375")


@pytest.mark.parametrize("width", [375, 1366])
def test_product_page_fits_beside_the_navigation(
    live_server, layout_manager, new_page, screenshot, width
):
    """The product form starts where the page's title does, right of the side navigation on a
    wide screen (full width on a phone, the menu off canvas), and never widens the page."""
    page = new_page(locale="ru-RU", width=width)
    staff_login(page, live_server, layout_manager)
    page.goto(live_server.url + "/admin/products/")
    page.locator("a.icon[href*='/edit/']").first.click()
    page.wait_for_load_state()
    form = page.locator("main form.admin-form").first.bounding_box()
    title = page.locator("main h1").first.bounding_box()
    assert abs(form["x"] - title["x"]) <= 1
    sidebar = page.locator("#admin-sidebar").bounding_box()
    if width >= 992:
        assert form["x"] >= sidebar["x"] + sidebar["width"]
    else:
        assert form["x"] < 40 and not page.locator("#admin-sidebar a").first.is_visible()
    assert _overflow(page) == 0
    screenshot(page, f"admin-product-edit-ru-{width}")


@pytest.mark.parametrize(("locale", "lang"), [("ru-RU", "ru"), ("en-GB", "en")])
def test_phone_lists_are_cards_with_their_actions(
    live_server, layout_manager, new_page, screenshot, locale, lang
):
    """At 375 px each order is a card: every value under its column's name, the link to the
    order reachable, nothing cut off at the right edge."""
    page = new_page(locale=locale, width=375)
    staff_login(page, live_server, layout_manager)
    page.goto(live_server.url + f"/lang/{lang}?next=/admin/orders/")
    card = page.locator("table.model-list-cards tbody tr").first
    total = card.locator("td.col-total")
    label = total.evaluate("td => getComputedStyle(td, '::before').content")
    assert label.strip('"') == {"ru": "Итого", "en": "Total"}[lang]
    for cell in card.locator("td").all():
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    view = card.locator("td.list-buttons-column a").first
    assert view.is_visible()
    box = view.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24
    assert _overflow(page) == 0
    screenshot(page, f"admin-orders-cards-{lang}-375")
