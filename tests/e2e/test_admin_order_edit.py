"""Editing an order in the back office in a real browser (issue 19.3), ru and en, on a phone and
a laptop: the page never widens the screen, axe-core finds nothing, and a manager finds an item,
adds it, checks the totals and saves; the order's page then shows the change in its timeline."""

import pytest

from tests.e2e.axe import axe_violations, format_violations
from tests.e2e.test_admin import PASSWORD, helper, staff_login

pytestmark = pytest.mark.e2e

NO_SIDEWAYS_SCROLL = (
    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
)

WIDE = """[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right >
  document.documentElement.clientWidth + 1).slice(0, 8).map(e => e.tagName + '.' + e.className +
  ' ' + Math.round(e.getBoundingClientRect().right))"""


@pytest.fixture(scope="module")
def manager(live_server):
    email = "manager-order-edit@example.com"
    helper(live_server, "staff", email, PASSWORD, "manager")
    return email


@pytest.mark.parametrize(
    ("locale", "lang", "width"),
    [("ru-RU", "ru", 375), ("en-GB", "en", 375), ("ru-RU", "ru", 1366), ("en-GB", "en", 1366)],
)
def test_a_manager_edits_an_order(live_server, manager, new_page, screenshot, locale, lang,
                                  width):
    number = helper(live_server, "order", "new")
    page = new_page(locale=locale, width=width)
    staff_login(page, live_server, manager)
    page.goto(live_server.url + f"/lang/{lang}?next=/admin/orders/?search={number}")
    page.get_by_role("link", name=number).click()
    page.locator("a.edit-order-link").click()
    page.wait_for_load_state()
    assert "/edit" in page.url
    assert page.evaluate(NO_SIDEWAYS_SCROLL) == 0
    bad = axe_violations(page)
    assert not bad, format_violations(bad)

    sku = page.locator("table.edit-lines tbody tr .edit-sku").first.inner_text().strip()
    page.locator("#edit-q").fill(sku)
    page.locator("#edit-q").press("Enter")  # Enter searches, never saves
    page.wait_for_load_state()
    page.locator("table.edit-found button[name=add_variant]").first.click()
    page.wait_for_load_state()
    new_row = page.locator("tr.edit-new-line input[type=number]")
    assert new_row.input_value() == "1"
    new_row.fill("2")
    page.locator("button[value=preview]").click()
    page.wait_for_load_state()
    assert page.locator(".edit-outcome").is_visible()
    screenshot(page, f"admin-order-edit-{lang}-{width}")
    assert page.evaluate(NO_SIDEWAYS_SCROLL) == 0, page.evaluate(WIDE)
    bad = axe_violations(page)
    assert not bad, format_violations(bad)

    page.locator("button.edit-save").click()
    page.wait_for_load_state()
    assert "/admin/orders/details/" in page.url
    quantities = page.locator("table.order-lines tbody tr td:nth-child(4)").all_inner_texts()
    assert [q.strip() for q in quantities] == ["3"]
    timeline = page.locator("ol.order-timeline").inner_text()
    assert ("Order changed" if lang == "en" else "Заказ изменён") in timeline or (
        f"{sku}: 1 → 3" in timeline)
    assert page.evaluate(NO_SIDEWAYS_SCROLL) == 0
