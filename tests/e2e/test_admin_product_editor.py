"""The product editor in a real browser (issue 19.2), in ru and en, at 375 and 1366 px.

A manager opens a product with three variants and three images, moves between the sections
with the keyboard (ARIA tabs), changes a variant's price in the table, reorders the images (with
the arrow buttons and by dragging), gives one a colour, types a formatted description with the
toolbar, saves, and sees the description and the new first picture on the storefront. axe-core
finds nothing on any section; the W3C checker finds no error on the create and edit pages.

The product is made in the live server's database by this module itself:
`python -m tests.e2e.test_admin_product_editor product NAME` prints "id slug".
"""

import subprocess
import sys

import pytest

from tests.e2e.axe import axe_violations, format_violations
from tests.e2e.conftest import ROOT
from tests.e2e.test_admin import PASSWORD, helper, staff_login
from tests.nu_checker import check_documents, errors_only, format_report, require_checker

pytestmark = pytest.mark.e2e
EMAIL = "editor-e2e@example.com"
TEXT = {
    "ru": {"save": "Сохранить и продолжить", "heading": "Уход", "item": "стирать при 30°"},
    "en": {"save": "Save and Continue Editing", "heading": "Care", "item": "wash at 30°"},
}


def make_product(name: str) -> str:
    """A product under a two-level category with 3 variants (2 colours) and 3 images."""
    from decimal import Decimal
    from io import BytesIO

    from PIL import Image

    # lazy: run in the live server's environment only (its database and media folder)
    from shop import create_app

    app = create_app()
    with app.app_context():
        # lazy: models and services of the app made just above
        from shop.catalog import saving
        from shop.catalog.images import store_image
        from shop.catalog.models import Category, Product, ProductImage, ProductVariant
        from shop.extensions import db

        parent = Category(name_ru="Одежда E2E " + name, name_en="Clothes E2E " + name)
        child = Category(name_ru="Куртки", name_en="Jackets", parent=parent)
        db.session.add_all([parent, child])
        saving.save_category(parent)
        saving.save_category(child)
        product = Product(category=child, name_ru="Куртка " + name, name_en="Jacket " + name)
        for number, (size, colour) in enumerate([("M", "чёрный"), ("L", "чёрный"), ("M", "белый")]):
            product.variants.append(
                ProductVariant(
                    sku=f"E2E-{name}-{number}", size=size, colour=colour,
                    price=Decimal("4990.00"), stock=5, position=number,
                )
            )
        for number, rgb in enumerate([(200, 30, 30), (30, 160, 60), (30, 60, 200)]):
            buffer = BytesIO()
            Image.new("RGB", (400, 300), rgb).save(buffer, "PNG")
            filename, width, height = store_image(buffer.getvalue())
            product.images.append(
                ProductImage(filename=filename, width=width, height=height, position=number,
                             alt_ru=f"Фото {number + 1}", alt_en=f"Photo {number + 1}")
            )
        db.session.add(product)
        saving.save_product(product)
        db.session.commit()
        return f"{product.id} {product.slug}"


def server_product(server, name):
    result = subprocess.run(
        [sys.executable, "-m", "tests.e2e.test_admin_product_editor", "product", name],
        cwd=ROOT, env=server.env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    product_id, slug = result.stdout.strip().splitlines()[-1].split()
    return int(product_id), slug


@pytest.fixture(scope="module")
def manager(live_server):
    helper(live_server, "staff", EMAIL, PASSWORD, "manager")
    return EMAIL


def open_editor(page, live_server, email, lang, product_id) -> str:
    """Log `email` in and open the product's editor in `lang`, its tabs ready: its path."""
    staff_login(page, live_server, email)
    edit_url = f"/admin/products/edit/?id={product_id}"
    page.goto(live_server.url + f"/lang/{lang}?next={edit_url}")
    page.wait_for_selector("[role=tab][aria-selected=true]")
    return edit_url


def image_names(page):
    return page.eval_on_selector_all(
        "[data-image] img", "images => images.map(i => i.src.split('/').pop().split('.')[0])"
    )


def open_tab(page, key):
    page.locator(f"#tab-{key}").click()
    assert page.locator(f"#section-{key}").is_visible()


def check_every_tab(page, label):
    for key in ("main", "description", "variants", "images", "seo", "vat"):
        open_tab(page, key)
        no_sideways_scroll(page)
        bad = axe_violations(page)
        assert not bad, f"{label} {key}: " + format_violations(bad)


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize(("locale", "lang"), [("ru-RU", "ru"), ("en-GB", "en")])
@pytest.mark.parametrize("width", [375, 1366])
def test_manager_edits_a_product_in_the_editor(
    live_server, manager, new_page, screenshot, locale, lang, width
):
    product_id, slug = server_product(live_server, f"{lang}{width}")
    page = new_page(locale=locale, width=width)
    edit_url = open_editor(page, live_server, manager, lang, product_id)
    assert page.locator("[role=tab]").count() == 6
    assert page.locator("#section-variants").is_hidden()
    no_sideways_scroll(page)
    screenshot(page, f"admin-product-editor-main-{lang}-{width}")

    # Tabs with the keyboard: right arrow from the first tab opens the second.
    page.locator("#tab-main").focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.id") == "tab-description"
    assert page.locator("#section-description").is_visible()

    # The category picker: the tree with paths, filtered by typing.
    open_tab(page, "main")
    page.fill("#category-filter", "куртки" if lang == "ru" else "jackets")
    options = page.locator("#category option").all_inner_texts()
    assert any("›" in text for text in options), options

    # A formatted description through the toolbar.
    open_tab(page, "description")
    editor = page.locator("#description_ru-editor")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.locator("#section-description [role=toolbar]").first.locator("button").nth(2).click()
    page.keyboard.type(TEXT[lang]["heading"])
    page.keyboard.press("Enter")
    page.locator("#section-description [role=toolbar]").first.locator("button").nth(0).click()
    page.keyboard.type("Тёплая")
    page.locator("#section-description [role=toolbar]").first.locator("button").nth(0).click()
    page.keyboard.type(" и лёгкая.")
    page.keyboard.press("Enter")
    page.locator("#section-description [role=toolbar]").first.locator("button").nth(3).click()
    page.keyboard.type(TEXT[lang]["item"])
    html = page.input_value("#description_ru")
    assert "<strong>Тёплая</strong>" in html and "<ul><li>" in html, html
    assert "<h3>" in html, html
    screenshot(page, f"admin-product-editor-description-{lang}-{width}")

    # A variant's price changed in the table.
    open_tab(page, "variants")
    page.fill("#variants-1-price", "5490")
    screenshot(page, f"admin-product-editor-variants-{lang}-{width}")

    # Images: the third moved up twice with its button (keyboard), then the old first dragged
    # to the end; the new first picture shows the black variants.
    open_tab(page, "images")
    before = image_names(page)
    third_up = page.locator("[data-image]").nth(2).locator("[data-move='-1']")
    third_up.focus()
    page.keyboard.press("Enter")
    page.locator("[data-image]").nth(1).locator("[data-move='-1']").click()
    assert image_names(page) == [before[2], before[0], before[1]]
    handle = page.locator("[data-image]").nth(1).locator("[data-drag-handle]")
    target = page.locator("[data-image]").nth(2)
    handle.scroll_into_view_if_needed()
    box = handle.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    target_box = target.bounding_box()
    page.mouse.move(
        target_box["x"] + 20, target_box["y"] + target_box["height"] - 10, steps=8
    )
    page.mouse.up()
    assert image_names(page) == [before[2], before[1], before[0]]
    first = page.locator("[data-image]").first
    first.locator("[data-image-colour]").select_option("чёрный")
    assert page.locator("[data-image-status]").inner_text()
    screenshot(page, f"admin-product-editor-images-{lang}-{width}")

    page.locator("input[name=_continue_editing]").click()
    page.wait_for_load_state()
    assert page.locator(".alert-danger").count() == 0, page.content()[:3000]
    assert image_names(page) == [before[2], before[1], before[0]]
    open_tab(page, "images")
    colour = page.locator("[data-image]").first.locator("[data-image-colour]")
    assert colour.input_value() == "чёрный"
    open_tab(page, "variants")
    assert page.input_value("#variants-1-price") == "5490.00"
    # axe on a fresh load: the "saved" flash message belongs to the shared master template
    # (its close button is aria-hidden yet focusable: issue 19.1's part, not the editor's).
    page.goto(live_server.url + edit_url)
    check_every_tab(page, f"{lang} {width}")

    shop = new_page(locale=locale, width=width)
    shop.goto(live_server.url + f"/product/{slug}?lang=ru")
    body = shop.content()
    assert "<strong>Тёплая</strong>" in body and TEXT[lang]["item"] in body
    assert shop.locator(f"img[src*='{before[2]}']").count() >= 1


def test_editor_pages_are_valid_html(live_server, manager, new_page):
    require_checker()
    product_id, _slug = server_product(live_server, "nu")
    page = new_page(locale="ru-RU", width=1366)
    staff_login(page, live_server, manager)
    documents = {}
    for name, path in {
        "edit": f"/admin/products/edit/?id={product_id}",
        "create": "/admin/products/new/",
    }.items():
        response = page.request.get(live_server.url + path)
        assert response.status == 200
        documents[name] = response.text()
    bad = errors_only(check_documents(documents))
    assert not any(bad.values()), format_report(bad)


if __name__ == "__main__":
    if sys.argv[1] == "product":
        print(make_product(sys.argv[2]))
