"""The README's screenshots, from a running shop, in a headless Chromium (Debian's).

    python docs/screenshots/take.py BASE_URL OUTDIR ADMIN_EMAIL ADMIN_PASSWORD [NAME ...]

Storefront pages in ru and en at 1366 and 375 px, and the back office at 1366 px (the admin
must be able to log in without a two-factor code: SHOP_STAFF_TWO_FACTOR_REQUIRED=false).
"""
import sys

from playwright.sync_api import sync_playwright

base, out, email, password = sys.argv[1:5]
only = set(sys.argv[5:])
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

def shot(page, name, full=False):
    if only and name not in only:
        return
    page.screenshot(path=f"{out}/{name}.png", full_page=full)
    print("saved", name)

with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    for lang in ("ru", "en"):
        for width in (1366, 375):
            ctx = browser.new_context(
                viewport={"width": width, "height": 900 if width > 400 else 800},
                locale="ru-RU" if lang == "ru" else "en-GB",
            )
            page = ctx.new_page()
            page.goto(f"{base}/?lang={lang}")
            shot(page, f"home-{lang}-{width}")
            link = page.locator("a[href^='/catalog/']").first.get_attribute("href")
            page.goto(base + link)
            shot(page, f"category-{lang}-{width}")
            prod = page.locator("a[href^='/product/']").first.get_attribute("href")
            page.goto(base + prod)
            shot(page, f"product-{lang}-{width}")
            page.goto(f"{base}/search?q=кроссовки")
            shot(page, f"search-{lang}-{width}")
            ctx.close()
        # back office, desktop
        ctx = browser.new_context(viewport={"width": 1366, "height": 900},
                                  locale="ru-RU" if lang == "ru" else "en-GB")
        page = ctx.new_page()
        page.goto(f"{base}/account/login?lang={lang}")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", password)
        page.locator("form[name=login_user_form] [type=submit]").click()
        page.wait_for_load_state()
        page.goto(f"{base}/lang/{lang}?next=/admin/")
        shot(page, f"admin-dashboard-{lang}-1366")
        for path, name in (
            ("/admin/orders/", "admin-orders"),
            ("/admin/products/", "admin-products"),
        ):
            page.goto(base + path)
            shot(page, f"{name}-{lang}-1366")
        ctx.close()
    browser.close()
