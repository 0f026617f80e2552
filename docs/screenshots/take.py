"""The README's screenshots, from a running shop, in a headless Chromium (Debian's).

    python docs/screenshots/take.py BASE_URL OUTDIR ADMIN_EMAIL ADMIN_PASSWORD [NAME ...]

The storefront as a shopper goes through it: home, a category, a product, the cart (with two
products in it) and checkout, in ru and en, on a desktop (1366 px) and a phone (375 px); then
the back office at 1366 px (the admin must be able to log in without a two-factor code:
SHOP_STAFF_TWO_FACTOR_REQUIRED=false). Files are named NAME-LANG-WIDTH.png (home-ru-375.png);
give NAMEs (home, cart, admin-orders...) to take only those.
"""
import sys

from playwright.sync_api import sync_playwright

base, out, email, password = sys.argv[1:5]
only = set(sys.argv[5:])
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
# The category and the second product of the cart (the demo catalogue's slugs; any category
# of another catalogue works as well).
CATEGORY = "clothing"
SECOND_CATEGORY = "kitchen"


def shot(page, name, lang, width):
    if only and name not in only:
        return
    page.wait_for_load_state("networkidle")
    # Lazy pictures in view have loaded, and nothing is animating any more.
    page.wait_for_function(
        """() => [...document.images].every(img => {
             const r = img.getBoundingClientRect();
             const seen = r.width > 0 && r.bottom > 0 && r.right > 0
               && r.top < innerHeight && r.left < innerWidth;
             return !seen || (img.complete && img.naturalWidth > 0);
           })"""
    )
    page.wait_for_timeout(300)
    page.screenshot(path=f"{out}/{name}-{lang}-{width}.png")
    print("saved", f"{name}-{lang}-{width}")


def add_first_product(page, category_path):
    """Open the first product of a category and put it in the cart (as a shopper would: the
    form posts, with or without the page's script)."""
    page.goto(base + category_path)
    page.locator(".product-card a").first.click()
    page.wait_for_load_state()
    product_url = page.url
    with page.expect_response(lambda r: "/cart/add" in r.url):
        page.locator("form[action$='/cart/add'] [type=submit]").first.click()
    page.wait_for_load_state()
    return product_url


def storefront(browser, lang, width):
    ctx = browser.new_context(
        viewport={"width": width, "height": 900 if width > 400 else 812},
        locale="ru-RU" if lang == "ru" else "en-GB",
        device_scale_factor=1,
    )
    page = ctx.new_page()
    page.goto(f"{base}/lang/{lang}?next=/")  # the language sticks for the whole visit
    shot(page, "home", lang, width)
    page.goto(f"{base}/catalog/{CATEGORY}")
    shot(page, "category", lang, width)
    product_url = add_first_product(page, f"/catalog/{CATEGORY}")
    page.goto(product_url)
    shot(page, "product", lang, width)
    add_first_product(page, f"/catalog/{SECOND_CATEGORY}")
    page.goto(f"{base}/cart")
    shot(page, "cart", lang, width)
    page.goto(f"{base}/checkout")
    shot(page, "checkout", lang, width)
    ctx.close()


def back_office(browser, lang):
    ctx = browser.new_context(viewport={"width": 1366, "height": 900},
                              locale="ru-RU" if lang == "ru" else "en-GB")
    page = ctx.new_page()
    page.goto(f"{base}/account/login?lang={lang}")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.locator("form[name=login_user_form] [type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{base}/lang/{lang}?next=/admin/")
    shot(page, "admin-dashboard", lang, 1366)
    for path, name in (("/admin/orders/", "admin-orders"), ("/admin/products/", "admin-products")):
        page.goto(base + path)
        shot(page, name, lang, 1366)
    ctx.close()


with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    for lang in ("ru", "en"):
        for width in (1366, 375):
            storefront(browser, lang, width)
        if not only or any(name.startswith("admin") for name in only):
            back_office(browser, lang)
    browser.close()
