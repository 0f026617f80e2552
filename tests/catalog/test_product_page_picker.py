"""The product page's picker (issue 18.2): colour swatches and sizes chosen apart, sold-out and
missing combinations shown as such, the variant in the address (?variant=), pictures per
colour, and the form without JavaScript sending variant_id."""

import json
import re

import pytest
from sqlalchemy import select

from shop.cart.models import CartLine
from shop.extensions import db as _db
from tests.catalog.conftest import make_image, make_product
from tests.factories import CategoryFactory


@pytest.fixture()
def plaid(db):
    """A throw in two colours and two sizes: grey in both, red only in the big size (sold
    out), and a small blue one that is not sold any more (inactive)."""
    home = CategoryFactory(slug="dom", name_ru="Дом", name_en="Home")
    product = make_product(
        home, "Плед в клетку", "Checked throw",
        [
            ("3490", 5, "130×170", "серый"),
            ("4290", 2, "150×200", "серый", "4990"),
            ("4290", 0, "150×200", "красный"),
            ("3490", 4, "130×170", "синий"),
        ],
        slug="pled",
    )
    product.variants[3].active = False
    _db.session.commit()
    return product


def page(client, slug="pled", **query):
    response = client.get(f"/product/{slug}", query_string=query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def form_of(body):
    start = body.index('<form class="add-to-cart')
    return body[start : body.index("</form>", start)]


def label_class(form, target):
    return re.search(rf'<label class="([^"]*)" for="{target}"', form).group(1).split()


def checked(body, name):
    """The value of the checked radio button of a group."""
    radio = rf'<input class="btn-check" type="radio" name="{name}" [^>]*value="([^"]*)" checked>'
    found = re.findall(radio, body)
    assert len(found) == 1, found
    return found[0]


def test_colours_are_swatches_and_sizes_a_button_group(client, plaid):
    body = page(client, lang="en")
    form = form_of(body)
    colours = re.findall(r'name="colour" id="colour-\d+" value="([^"]+)"', form)
    assert colours == ["серый", "красный"]  # the inactive blue one is not offered
    assert re.findall(r'name="size" id="size-\d+" value="([^"]+)"', form) == ["130×170", "150×200"]
    # accessible names in the reader's language, the colour drawn by product.css
    grey = form[form.index('for="colour-1"') :][:600]
    assert 'title="grey"' in grey and 'data-swatch="серый"' in grey
    assert re.search(r'class="visually-hidden">grey<span data-state-text></span>', grey)
    red = form[form.index('for="colour-2"') :][:600]
    assert "is-sold-out" in label_class(form, "colour-2")
    assert "is-sold-out" not in label_class(form, "colour-1")
    assert "red<span data-state-text>, out of stock" in red
    assert "<legend" in form and "Colour: <span" in form and "Size: <span" in form
    # the first variant in stock is chosen
    assert checked(form, "colour") == "серый" and checked(form, "size") == "130×170"
    assert 'id="variant-price">3,490.00' in body.replace("₽", "") or "₽3,490.00" in body


def test_sizes_not_made_or_sold_out_in_the_chosen_colour_say_so(client, plaid):
    red = plaid.variants[2]
    body = page(client, lang="en", variant=str(red.id))
    form = form_of(body)
    assert checked(form, "colour") == "красный" and checked(form, "size") == "150×200"
    small = form[form.index('for="size-1"') :][:400]
    assert label_class(form, "size-1") == ["size-btn", "is-missing"]
    assert "130×170<span" in small and ", not available in this colour" in small
    big = form[form.index('for="size-2"') :][:400]
    assert label_class(form, "size-2") == ["size-btn", "is-sold-out"]
    assert ", out of stock" in big
    # a sold-out choice is shown, but cannot be bought
    assert re.search(r'<button[^>]*data-buy-button disabled>Out of stock</button>', form)
    assert 'id="variant-stock">Out of stock<' in body


def test_the_variant_in_the_address_chooses_price_sku_stock_and_next(client, plaid):
    big = plaid.variants[1]
    body = page(client, variant=str(big.id))
    form = form_of(body)
    assert checked(form, "size") == "150×200"
    assert 'id="variant-price">4\xa0290,00' in body and "4\xa0990,00" in body
    assert f'id="variant-sku">{big.sku}<' in body
    assert 'id="variant-stock">2 штуки в наличии<' in body
    assert f'name="next" value="/product/pled?variant={big.id}"' in form
    assert f'type="hidden" name="variant_id" value="{big.id}" data-variant-input disabled>' in form
    assert re.search(r'name="quantity" value="1" min="1" max="2"', form)
    # the canonical and alternate links name the product, not the variant
    head = body[: body.index("</head>")]
    assert "variant=" not in head
    assert 'rel="canonical" href="http://localhost/product/pled"' in head


@pytest.mark.parametrize(
    "raw", ["abc", "", "-1", "0", "999999", "1e3", "１", "9" * 40, "%00", "2 3"]
)
def test_a_bad_variant_in_the_address_is_ignored(client, plaid, raw):
    form = form_of(page(client, variant=raw))
    assert checked(form, "colour") == "серый" and checked(form, "size") == "130×170"


def test_another_products_or_an_inactive_variant_is_ignored(client, plaid):
    other = make_product(plaid.category, "Подушка", "Cushion", [("990", 3, None, "белый")])
    for variant in (other.variants[0], plaid.variants[3]):
        form = form_of(page(client, variant=str(variant.id)))
        assert f'value="{plaid.variants[0].id}" data-variant-input' in form
    twice = client.get("/product/pled", query_string=[("variant", "1"), ("variant", "2")])
    assert twice.status_code == 200


def test_without_javascript_the_form_sends_the_chosen_variant(client, plaid):
    body = page(client)
    form = form_of(body)
    fallback = form[form.index("<noscript>") : form.index("</noscript>")]
    ids = re.findall(r'name="variant_id" id="variant-(\d+)"', fallback)
    assert ids == [str(v.id) for v in plaid.variants[:3]]
    red = plaid.variants[2]
    assert re.search(rf'id="variant-{red.id}" value="{red.id}"\s+disabled', fallback)
    # the only variant_id a browser without JavaScript sends is the list's (the hidden one is
    # disabled): post what that browser would
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    big = plaid.variants[1]
    response = client.post("/cart/add", data={
        "csrf_token": csrf, "next": f"/product/pled?variant={big.id}",
        "variant_id": str(big.id), "quantity": "2",
    })
    assert response.status_code in (302, 303)
    assert response.headers["Location"].endswith(f"/product/pled?variant={big.id}")
    lines = _db.session.scalars(select(CartLine)).all()
    assert [(line.variant_id, line.quantity) for line in lines] == [(big.id, 2)]


def test_pictures_follow_the_colour(client, plaid):
    grey = make_image(plaid, colour=(120, 120, 120), position=0, alt_ru="Серый")
    red = make_image(plaid, colour=(200, 0, 0), position=1, alt_ru="Красный")
    make_image(plaid, colour=(9, 9, 9), position=2, alt_ru="Все цвета")
    grey.colour, red.colour = "Серый", "красный"  # compared as staff may type them
    _db.session.commit()

    def slides(body):
        return re.findall(r'<li class="gallery-slide( is-off)?" data-colour="([^"]*)"[^>]*>'
                          r'\s*<a[^>]*>\s*<img[^>]*alt="([^"]+)"', body)

    assert slides(page(client)) == [
        ("", "серый", "Серый"), ("", "", "Все цвета"), (" is-off", "красный", "Красный")
    ]
    body = page(client, variant=str(plaid.variants[2].id))
    assert slides(body) == [
        ("", "красный", "Красный"), ("", "", "Все цвета"), (" is-off", "серый", "Серый")
    ]
    # the first picture shown is the one that loads at once and the one shared
    first = re.search(r'<li class="gallery-slide"[^>]*>\s*<a[^>]*>\s*<img[^>]*>', body).group(0)
    assert 'fetchpriority="high"' in first
    assert f"/media/products/1024/{red.filename}" in body[: body.index("</head>")]
    # thumbnails follow the same order and flags
    thumbs = re.findall(r'<li class="gallery-thumb-item( is-off)?" data-colour="([^"]*)"', body)
    assert thumbs == [("", "красный"), ("", ""), (" is-off", "серый")]
    # the browser gets every variant's colour key, prices and stock line
    data = re.search(r'<script type="application/json" id="variant-data">(.*?)</script>', body)
    variants = {v["id"]: v for v in json.loads(data.group(1))}
    red_variant = variants[plaid.variants[2].id]
    assert red_variant["colour"] == "красный" and red_variant["size"] == "150×200"
    assert red_variant["stock"] == 0 and red_variant["stockText"] == "Нет в наличии"
    assert variants[plaid.variants[1].id]["old"] == "4\xa0990,00\xa0₽"
    assert variants[plaid.variants[1].id]["off"] == 14
    assert plaid.variants[3].id not in variants


def test_a_colour_without_pictures_shows_them_all(client, plaid):
    make_image(plaid, position=0, alt_ru="Серый").colour = "серый"
    _db.session.commit()
    body = page(client, variant=str(plaid.variants[2].id))
    track = body[body.index("gallery-track") :]
    assert "is-off" not in track[: track.index("</ul>")]


def test_simple_products_have_no_picker(client, shoes):
    # one variant with a size and a colour: both shown as a single choice, sent as hidden
    body = page(client, "kedy")
    form = form_of(body)
    variant = shoes["kedy"].variants[0]
    assert f'type="hidden" name="variant_id" value="{variant.id}">' in form
    assert "<noscript>" not in form and "data-variant-input" not in form
    assert checked(form, "colour") == "синий" and checked(form, "size") == "40"
    # one variant, no size nor colour: no choice at all
    plain = make_product(shoes["kedy"].category, "Шнурки", "Laces", [("150", 9)], slug="laces")
    form = form_of(page(client, "laces"))
    assert 'name="colour"' not in form and 'name="size"' not in form
    assert f'type="hidden" name="variant_id" value="{plain.variants[0].id}">' in form


def test_only_colours_or_only_sizes(client, shoes):
    cat = shoes["kedy"].category
    make_product(cat, "Шапка", "Hat", [("900", 3, None, "красный"), ("900", 2, None, "синий")],
                 slug="hat")
    make_product(cat, "Носки", "Socks", [("300", 3, "39"), ("300", 0, "42")], slug="socks")
    hat = form_of(page(client, "hat"))
    assert 'name="size"' not in hat and len(re.findall(r'name="colour"', hat)) == 2
    socks = form_of(page(client, "socks"))
    assert 'name="colour"' not in socks and len(re.findall(r'name="size" id=', socks)) == 2
    assert label_class(socks, "size-2") == ["size-btn", "is-sold-out"]
    assert label_class(socks, "size-1") == ["size-btn"]
