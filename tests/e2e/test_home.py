"""The home page in a real browser, served by uWSGI, in Russian and English."""

import pytest

from tests.e2e.helpers import open_menu

pytestmark = pytest.mark.e2e


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
    cards = page.locator(".product-card")
    assert cards.count() >= 8
    # every product image has loaded (served by the app, no CDN)
    first_image = cards.first.locator("img")
    first_image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=first_image.element_handle()
    )
    screenshot(page, f"home-{lang}-{width}")


def test_language_switch_and_admin_redirect(live_server, new_page):
    page = new_page(locale="ru-RU")
    page.goto(live_server.url + "/")
    open_menu(page)
    page.locator(".lang-switch a", has_text="EN").click()
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(live_server.url + "/admin/")
    assert "/account/login" in page.url
