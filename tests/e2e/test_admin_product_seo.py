"""The product editor's SEO tab in a real browser (issue 19.2): the character counts and the
search result preview follow what a manager types, the tab passes axe at 375 and 1366 px
without sideways scrolling, and the saved title and description are the storefront page's."""

import pytest

from tests.e2e.axe import axe_violations, format_violations
from tests.e2e.test_admin import PASSWORD, helper
from tests.e2e.test_admin_product_editor import no_sideways_scroll, open_editor, server_product

pytestmark = pytest.mark.e2e



@pytest.fixture(scope="module")
def manager(live_server):
    # Its own account: the editor's tests made theirs on the same server.
    email = "manager-seo@example.com"
    helper(live_server, "staff", email, PASSWORD, "manager")
    return email


LONG_TITLE = "Warm winter jacket with a hood, water-resistant, for city and travel"  # 68


@pytest.mark.parametrize(("locale", "lang", "width"), [("en-GB", "en", 375), ("ru-RU", "ru", 1366)])
def test_counts_preview_and_the_saved_page(live_server, manager, new_page, screenshot,
                                           locale, lang, width):
    product_id, slug = server_product(live_server, f"seo{lang}{width}")
    page = new_page(locale=locale, width=width)
    open_editor(page, live_server, manager, lang, product_id)
    page.locator("#tab-seo").click()
    assert page.locator("#section-seo").is_visible()

    count = page.locator("#meta_title_en-count")
    assert "0" in count.inner_text()
    preview = page.locator("[data-seo-preview=en]")
    # empty: the preview shows the page's fallback, the English name
    assert preview.locator("[data-preview-title]").inner_text().startswith("Jacket seo")

    page.fill("#meta_title_en", LONG_TITLE)
    assert "68" in count.inner_text()
    assert "seo-count-over" in (count.get_attribute("class") or "")
    assert page.locator("#meta_title_en-alert").inner_text()  # said once to screen readers
    shown = preview.locator("[data-preview-title]").inner_text()
    assert shown.endswith("…") and len(shown) == 60 and LONG_TITLE.startswith(shown[:-1])

    page.fill("#meta_title_en", "Winter jacket with a hood")
    assert "25" in count.inner_text()
    assert "seo-count-over" not in (count.get_attribute("class") or "")
    assert preview.locator("[data-preview-title]").inner_text() == "Winter jacket with a hood"
    page.fill("#meta_description_en", "  Warm   and light.  ")
    assert preview.locator("[data-preview-description]").inner_text() == "Warm and light."
    assert "15" in page.locator("#meta_description_en-count").inner_text()

    no_sideways_scroll(page)
    bad = axe_violations(page)
    assert not bad, f"{lang} {width} seo: " + format_violations(bad)
    screenshot(page, f"admin-product-editor-seo-{lang}-{width}")

    page.locator("input[name=_continue_editing]").click()
    page.wait_for_load_state()
    assert page.locator(".alert-danger").count() == 0, page.content()[:3000]
    assert page.input_value("#meta_description_en") == "Warm and light."

    shop = new_page(locale=locale, width=width)
    shop.goto(live_server.url + f"/product/{slug}?lang=en")
    assert shop.title() == "Winter jacket with a hood"
    description = shop.locator("meta[name=description]").get_attribute("content")
    assert description == "Warm and light."
    shop.goto(live_server.url + f"/product/{slug}?lang=ru")
    assert shop.title().startswith("Куртка seo")  # no Russian title: the name, as before
