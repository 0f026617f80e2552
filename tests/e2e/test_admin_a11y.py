"""Every back-office page passes axe-core and fits the screen (issue 19.7), at 1366 and 375 px.

An admin (who sees every menu entry) walks the side navigation: each entry's page, then the
pages its links open (a record's details, its edit form, the create form, a customer's erase
page, a legal document's version...), then once more the pages those open. One page per kind
of address is enough ("/admin/orders/details/?id=N" stands for every order). On each page
axe-core finds no violation of the WCAG 2.x A/AA rules and the page is not wider than the
window. The side navigation is reachable: beside the page on a wide screen, behind the menu
button on a phone (opened, focused, closed with Escape).
"""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.e2e.axe import axe_violations, format_violations
from tests.e2e.test_admin import PASSWORD, helper, staff_login

pytestmark = pytest.mark.e2e
ADMIN = "admin-a11y@example.com"
# Links under /admin that are not pages to check: downloads (CSV reports and exports) and
# printable documents.
SKIP = re.compile(r"\.csv$|/packing-slips?\b|/invoices?\b")
MAX_PAGES = 90


@pytest.fixture(scope="module")
def admin_with_data(live_server):
    helper(live_server, "staff", ADMIN, PASSWORD, "admin")
    helper(live_server, "order", "paid", "Мария Ёлкина-Сидоренко", "maria.a11y@example.com")
    helper(live_server, "order", "new")
    helper(live_server, "customer", "customer-a11y@example.com", "Анна Покупателева")
    return ADMIN


def _overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def _shape(url: str) -> str:
    """One key per kind of page: numbers and query values left out, query names kept (sort,
    page and search links of a list are the list itself)."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/N", parts.path)
    ignored = ("url", "sort", "desc", "page", "page_size")
    names = sorted({name for name, _ in parse_qsl(parts.query) if name not in ignored})
    return path + ("?" + "&".join(names) if names else "")


def _links(page, server_url) -> list[str]:
    hrefs = page.eval_on_selector_all("main a[href]", "links => links.map(a => a.href)")
    return [
        h.split("#", 1)[0]
        for h in hrefs
        if h.startswith(server_url + "/admin") and not SKIP.search(urlsplit(h).path)
    ]


def _menu(page, server_url) -> list[str]:
    return page.eval_on_selector_all(
        "#admin-sidebar a.admin-nav-link", "links => links.map(a => a.href)"
    )


def _check_navigation(page, width):
    sidebar = page.locator("#admin-sidebar")
    toggle = page.locator("[data-admin-nav-toggle]")
    first = sidebar.locator("a.admin-nav-link").first
    if width >= 992:
        assert not toggle.is_visible()
        assert first.is_visible() and first.bounding_box()["x"] >= 0
        return
    assert not first.is_visible()  # off canvas until asked for
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    current = sidebar.locator("a[aria-current=page]")
    current.wait_for(state="visible")
    page.wait_for_function("el => document.activeElement === el", arg=current.element_handle())
    # the panel slides in (0.2 s): measure it once it is in place
    page.wait_for_function(
        "() => document.getElementById('admin-sidebar').getBoundingClientRect().left >= 0"
    )
    box = current.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    bad = axe_violations(page)
    assert not bad, "open menu: " + format_violations(bad)
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    page.wait_for_function("el => document.activeElement === el", arg=toggle.element_handle())
    sidebar.locator("a.admin-nav-link").first.wait_for(state="hidden")


@pytest.mark.parametrize(("width", "locale", "lang"), [(1366, "en-GB", "en"), (375, "ru-RU", "ru")])
def test_every_back_office_page_passes_axe_and_fits(
    live_server, admin_with_data, new_page, screenshot, width, locale, lang
):
    page = new_page(locale=locale, width=width)
    staff_login(page, live_server, admin_with_data)
    page.goto(live_server.url + f"/lang/{lang}?next=/admin/")
    screenshot(page, f"admin-a11y-dashboard-{lang}-{width}")
    _check_navigation(page, width)

    menu = _menu(page, live_server.url)
    assert len(menu) >= 17, menu  # every entry an admin has
    seen, queue, failures = set(), [(url, 0) for url in menu], []
    while queue and len(seen) < MAX_PAGES:
        url, depth = queue.pop(0)
        shape = _shape(url)
        if shape in seen:
            continue
        seen.add(shape)
        response = page.goto(url)
        page.wait_for_load_state()
        if response.status != 200:
            failures.append(f"{url}: HTTP {response.status}")
            continue
        bad = axe_violations(page)
        if bad:
            failures.append(f"{url}:\n{format_violations(bad)}")
        overflow = _overflow(page)
        if overflow > 0:
            failures.append(f"{url}: the page is {overflow} px wider than the window")
        if depth < 2:
            queue.extend((link, depth + 1) for link in _links(page, live_server.url))
    assert len(seen) >= 30, sorted(seen)
    assert not failures, "\n\n".join(failures)
