"""Small page helpers shared by the browser tests."""

from playwright.sync_api import TimeoutError as PlaywrightTimeout

ACCOUNT_TOGGLE = "header .navbar-nav.align-items-lg-center .dropdown-toggle"
LOGOUT_BUTTON = "header form[action$='/account/logout'] button"


def open_menu(page):
    """On a phone, open the collapsed main menu and wait until its animation has finished
    (Bootstrap sets `show` only then): a click on an item still sliding in can be lost."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        if page.locator("#mainNav.show").count() == 0:
            toggler.click()
        page.locator("#mainNav.show").wait_for()


def open_account_menu(page):
    """Open the header's account dropdown, retrying once when the click was swallowed
    (the dropdown script toggles, so a second click only comes when the menu stayed shut)."""
    open_menu(page)
    toggle = page.locator(ACCOUNT_TOGGLE)
    for attempt in range(3):
        toggle.click()
        try:
            page.locator(LOGOUT_BUTTON).wait_for(state="visible", timeout=3000)
            return
        except PlaywrightTimeout:
            if attempt == 2:
                raise


def log_out(page):
    open_account_menu(page)
    with page.expect_navigation():
        page.locator(LOGOUT_BUTTON).click()
