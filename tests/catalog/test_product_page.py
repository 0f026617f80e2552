"""The product page: gallery, variant selector, add-to-cart form, description, meta tags."""

import re

from shop.extensions import db as _db
from tests.catalog.conftest import make_image


def page(client, slug="krossovki-begovye", **kwargs):
    response = client.get(f"/product/{slug}", **kwargs)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_variant_selector_shows_price_and_stock_of_each_variant(client, shoes):
    body = page(client)
    form = body[body.index('class="add-to-cart') :]
    form = form[: form.index("</form>")]
    assert 'action="/cart/add"' in form and 'method="post"' in form
    assert re.search(r'name="csrf_token" value="[^"]+"', form)
    run = shoes["run"]
    in_stock, sold_out = run.variants
    # back to the chosen variant after a plain (no-JavaScript) add
    assert f'name="next" value="/product/krossovki-begovye?variant={in_stock.id}"' in form
    # without JavaScript: a plain list of variants with their price and stock
    fallback = form[form.index("<noscript>") : form.index("</noscript>")]
    radio = rf'name="variant_id" id="variant-{in_stock.id}" value="{in_stock.id}"'
    assert re.search(radio, fallback)
    option = fallback[fallback.index(f'for="variant-{in_stock.id}"') :][:800]
    assert "42 / чёрный" in option and "3 штуки в наличии" in option and "5\xa0000,00" in option
    sold = fallback[fallback.index(f'id="variant-{sold_out.id}"') :][:600]
    assert "disabled" in sold[: sold.index(">")]
    assert "Нет в наличии" in fallback[fallback.index(f'for="variant-{sold_out.id}"') :][:800]
    # quantity: 1..min(stock, 99) of the chosen variant
    assert re.search(r'name="quantity" value="1" min="1" max="3"', form)


def test_quantity_is_capped_at_99(client, shoes):
    shoes["kedy"].variants[0].stock = 500
    _db.session.commit()
    body = page(client, "kedy")
    assert 'max="99"' in body
    assert f'type="hidden" name="variant_id" value="{shoes["kedy"].variants[0].id}">' in body


def test_sold_out_product_has_no_add_button(client, shoes):
    body = page(client, "botinki-zimnie")
    assert 'type="submit"' not in body[body.index('class="add-to-cart') :].split("</form>")[0]
    assert 'name="quantity"' not in body
    assert "Нет в наличии" in body


def test_breadcrumbs_description_and_related_products(client, shoes):
    body = page(client, "botinki-zimnie")
    crumbs = body[body.index('class="breadcrumb') :][:800]
    assert 'href="/catalog/obuv"' in crumbs and 'aria-current="page">Ботинки зимние<' in crumbs
    assert "<p>Тёплые, на меху</p>" in body
    related = body[body.index('id="related-title"') :]
    # nothing else in "Обувь" itself: related products come from its subcategories
    assert "Кроссовки беговые" in related
    run = page(client)
    related = run[run.index('id="related-title"') :]
    assert "Кроссовки для зала" in related and "Кеды парусиновые" in related
    assert "Кроссовки беговые" not in related
    # its own category first, then the rest of the top-level category
    assert related.index("Кеды парусиновые") < related.index("Ботинки зимние")


def test_gallery_images_have_sizes_alt_and_lazy_thumbnails(client, shoes):
    run = shoes["run"]
    make_image(run, position=0, alt_ru="Вид сбоку")
    make_image(run, colour=(0, 0, 200), size=(600, 600), position=1)
    body = page(client)
    slides = re.findall(r'<li class="gallery-slide[^"]*"[^>]*>\s*<a[^>]*>\s*<img[^>]*>', body)
    assert len(slides) == 2
    main = slides[0]
    assert 'width="800" height="600"' in main and 'alt="Вид сбоку"' in main
    assert "/media/products/1024/" in main and "loading" not in main  # the first paints at once
    assert 'loading="lazy"' in slides[1] and 'width="600" height="600"' in slides[1]
    thumbs = re.findall(r'<a class="gallery-thumb[^>]*>\s*<img[^>]*>', body)
    assert len(thumbs) == 2
    assert all('loading="lazy"' in t and "width=" in t and "height=" in t for t in thumbs)
    assert 'width="160" height="160"' in thumbs[1]
    assert "Фото 2 из 2" in thumbs[1]


def test_meta_tags_canonical_hreflang_and_open_graph(client, shoes):
    make_image(shoes["boots"])
    body = page(client, "botinki-zimnie")
    head = body[: body.index("</head>")]
    assert "<title>Ботинки зимние · Лавка</title>" in head
    assert '<meta name="description" content="Тёплые, на меху">' in head
    # the address without ?lang= (the x-default) is its own canonical (Lighthouse, issue 18)
    assert '<link rel="canonical" href="http://localhost/product/botinki-zimnie">' in head
    assert 'hreflang="ru" href="http://localhost/product/botinki-zimnie?lang=ru"' in head
    assert 'hreflang="en" href="http://localhost/product/botinki-zimnie?lang=en"' in head
    assert 'hreflang="x-default" href="http://localhost/product/botinki-zimnie"' in head
    assert head.count('hreflang="en"') == 1
    assert '<meta property="og:title" content="Ботинки зимние">' in head
    assert '<meta property="og:type" content="product">' in head
    assert re.search(r'og:image" content="http://localhost/media/products/1024/\w+\.jpg"', head)
    english = page(client, "botinki-zimnie", query_string={"lang": "en"})
    assert "<title>Winter boots · Lavka</title>" in english
    assert '<meta name="description" content="Warm, fur-lined">' in english
    assert 'rel="canonical" href="http://localhost/product/botinki-zimnie?lang=en"' in english


def test_product_page_in_english_translates_colours(client, shoes):
    body = page(client, query_string={"lang": "en"})
    assert "42 / black" in body and "3 pieces in stock" in body and "Add to cart" in body


def test_unknown_slugs_are_404(client, shoes):
    for path in ("/product/nope", "/product/", "/catalog/nope", "/product/%D0%BA%D1%80"):
        assert client.get(path).status_code == 404
