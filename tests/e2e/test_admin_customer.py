"""The customer's page in the back office on a phone and a laptop (issue 19.5), ru and en: it
never widens a 375 px page (its tables scroll inside their box), and a manager adds a note that
shows at the top of the notes."""

import pytest

from tests.e2e.test_admin import PASSWORD, helper, staff_login

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def customer_page(live_server):
    email = "manager-customers@example.com"
    helper(live_server, "staff", email, PASSWORD, "manager")
    customer = helper(
        live_server,
        "customer",
        "konstantin.konstantinopolsky@example-long-domain.ru",
        "Константин Константинопольский-Щедрин",
    )
    return email, f"/admin/customers/details/?id={customer}"


@pytest.mark.parametrize(
    ("locale", "lang", "width"), [("ru-RU", "ru", 375), ("en-GB", "en", 375), ("ru-RU", "ru", 1366)]
)
def test_customer_page_fits_and_takes_a_note(
    live_server, customer_page, new_page, screenshot, locale, lang, width
):
    manager, path = customer_page
    page = new_page(locale=locale, width=width)
    staff_login(page, live_server, manager)
    page.goto(live_server.url + f"/lang/{lang}?next={path}")
    assert page.locator("table.customer-orders tbody tr").count() == 1
    assert page.locator("table.customer-addresses tbody tr").count() == 1
    assert (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        == 0
    )
    text = f"Звонить после 18:00 ({lang}, {width})"
    page.locator("form.customer-note-form textarea").fill(text)
    page.locator("form.customer-note-form [type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("ol.customer-notes li").first.inner_text().endswith(text)
    screenshot(page, f"admin-customer-{lang}-{width}")
