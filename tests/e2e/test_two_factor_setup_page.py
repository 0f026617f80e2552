"""The two-factor setup page a new staff member meets after the password, in ru and en, on a
phone and a desktop: a clear "not set up yet", the only method preselected, no Log in links."""

import pytest

from tests.e2e.test_accounts import new_admin_logs_in

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width", [375, 1366])
@pytest.mark.parametrize(("locale", "lang"), [("ru-RU", "ru"), ("en-GB", "en")])
def test_first_staff_login_two_factor_page(live_server, new_page, screenshot, locale, lang, width):
    page = new_page(locale=locale, width=width)
    new_admin_logs_in(live_server, page, f"tf-page-{lang}-{width}@example.com")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator(".tf-status.alert-warning").is_visible()
    assert page.locator("input[name=setup][value=authenticator]").is_checked()
    assert page.locator("header a[href$='/account/login']").count() == 0
    screenshot(page, f"account-tf-first-{lang}-{width}")
