"""The back office fits the screen (issue 14.13): at 1366 px the orders list shows its total
without scrolling sideways, even for a long name and address; at 375 px a list may scroll
inside its table but never widens the page; the product page's stock and images line up with
its form. Screenshots at both widths, ru and en.
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
def test_product_page_blocks_line_up_with_the_form(
    live_server, layout_manager, new_page, screenshot, width
):
    page = new_page(locale="ru-RU", width=width)
    staff_login(page, live_server, layout_manager)
    page.goto(live_server.url + "/admin/products/")
    page.locator("a.icon[href*='/edit/']").first.click()
    page.wait_for_load_state()
    form = page.locator("form.admin-form").bounding_box()
    for block in (".variant-stock", ".admin-images"):
        box = page.locator(block).first.bounding_box()
        assert abs(box["x"] - form["x"]) <= 1, block
    assert _overflow(page) == 0
    screenshot(page, f"admin-product-edit-ru-{width}")
