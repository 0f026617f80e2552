"""The Content-Security-Policy in a real browser: no page of the storefront or the back office
has anything blocked (no inline script, no inline style outside /admin), in ru and en, on a
phone and a desktop. Chromium reports every blocked resource as a console error."""

import re
import secrets

import pytest

from tests.uwsgi_server import serve_shop

pytestmark = pytest.mark.e2e
ADMIN_EMAIL = "ops-admin@example.com"


def watch(page):
    """Collect CSP violations and script errors on this page."""
    problems = []
    page.on(
        "console",
        lambda msg: (
            msg.type == "error"
            and ("Content Security Policy" in msg.text or "Refused to" in msg.text)
            and problems.append(msg.text)
        ),
    )
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    return problems


STORE_PAGES = ["/", "/search?q=a", "/account/login", "/account/register", "/cart", "/no-such-page"]


@pytest.mark.parametrize("locale", ["ru-RU", "en-GB"])
@pytest.mark.parametrize("width", [375, 1366])
def test_storefront_pages_break_no_policy(live_server, new_page, screenshot, locale, width):
    page = new_page(locale=locale, width=width)
    problems = watch(page)
    page.goto(live_server.url + "/")
    category = page.locator("a[href^='/catalog/']").first.get_attribute("href")
    product = page.locator("a[href^='/product/']").first.get_attribute("href")
    for path in [*STORE_PAGES, category, product]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
    if width == 375 and page.locator(".navbar-toggler").is_visible():
        page.locator(".navbar-toggler").click()  # the menu's script runs under the policy
        page.locator(".navbar-collapse.show").wait_for()
    assert problems == []
    screenshot(page, f"ops-csp-product-{locale[:2]}-{width}")


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory, server_database):
    """A server of its own where staff may log in without two-factor, with an administrator."""
    password = secrets.token_urlsafe(12)
    with serve_shop(
        tmp_path_factory.mktemp("ops-admin"),
        server_database,
        processes=1,
        threads=4,
        setup=[("create-admin", ADMIN_EMAIL, "--password", password)],
        env_overrides={"SHOP_STAFF_TWO_FACTOR_REQUIRED": "false"},
    ) as server:
        yield server.url, password


@pytest.mark.parametrize(("locale", "width"), [("ru-RU", 1366), ("en-GB", 375)])
def test_back_office_pages_break_no_policy(admin_server, new_page, screenshot, locale, width):
    url, password = admin_server
    page = new_page(locale=locale, width=width)
    problems = watch(page)
    page.goto(url + "/account/login?next=/admin/")
    page.fill("input[name=email]", ADMIN_EMAIL)
    page.fill("input[name=password]", password)
    page.locator("form[name=login_user_form] [type=submit]").click()
    page.wait_for_load_state("load")
    page.goto(url + "/admin/")
    assert "/admin" in page.url, page.url
    links = sorted(
        {
            href
            for href in page.locator("a[href^='/admin/']").evaluate_all(
                "els => els.map(e => e.getAttribute('href'))"
            )
            if not re.search(r"(export|delete|logout|\.csv)", href)
        }
    )
    assert links, "no back-office section linked from the dashboard"
    for href in links[:12]:
        page.goto(url + href)
        page.wait_for_load_state("load")
        # an edit form, with its select2 widgets and inline variants, when the list has one
        edit = page.locator("a[href*='/edit/']").first
        if edit.count():
            page.goto(url + edit.get_attribute("href"))
            page.wait_for_load_state("load")
    assert problems == [], problems[:5]
    page.goto(url + "/admin/")
    screenshot(page, f"ops-csp-admin-{locale[:2]}-{width}")
