"""The cart page's lines and summary (issue 18.3): the header's cart sits outside the collapsed
menu, each line shows its product's first picture, the steppers are plain forms posting the
quantity one lower or higher, and the delivery line says "free" or the cheapest price, never
"from 0,00 ₽", with how much more makes delivery free."""

import re
from decimal import Decimal

from shop.catalog.models import ProductImage
from shop.extensions import db
from tests.checkout.helpers import stocked
from tests.factories import DeliveryMethodFactory

_CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def _add(client, variant, quantity=1):
    body = client.get(f"/product/{variant.product.slug}").get_data(as_text=True)
    csrf = _CSRF.search(body).group(1)
    response = client.post(
        "/cart/add", data={"csrf_token": csrf, "variant_id": variant.id, "quantity": quantity}
    )
    assert response.status_code == 302


def _image(product, n, position):
    db.session.add(ProductImage(
        product=product, filename=f"{n:032x}.jpg", width=800, height=600, position=position
    ))
    db.session.commit()


def _lines(body):
    return re.findall(r'<li class="[^"]*" data-testid="cart-line"[^>]*>(.*?)</li>', body, re.S)


def test_the_header_cart_is_outside_the_collapsed_menu_with_its_count(client, db):
    DeliveryMethodFactory()
    _add(client, stocked(), quantity=2)
    client.get("/lang/en")
    body = client.get("/").get_data(as_text=True)
    header = body.split("<header", 1)[1].split("</header>", 1)[0]
    cart, menu = header.index('data-testid="header-cart"'), header.index('id="mainNav"')
    assert cart < header.index("navbar-toggler") < menu  # beside the brand, not in the menu
    link = header[cart:].split("</a>", 1)[0]
    assert "<svg" in link and 'aria-hidden="true" focusable="false"' in link
    assert '<span class="badge rounded-pill text-bg-dark" aria-hidden="true">2</span>' in link
    assert '<span class="visually-hidden">Cart, 2 items</span>' in link


def test_each_line_shows_its_products_first_picture(client, db):
    DeliveryMethodFactory()
    shirt, mug = stocked(), stocked()
    _image(shirt.product, 2, position=1)
    _image(shirt.product, 1, position=0)  # first by position, whatever the order of adding
    _add(client, shirt)
    _add(client, mug)  # no picture
    lines = _lines(client.get("/cart").get_data(as_text=True))
    assert len(lines) == 2
    img = re.search(r"<img [^>]*>", lines[0]).group(0)
    assert f'src="/media/products/160/{1:032x}.jpg"' in img
    assert f'alt="{shirt.product.name_ru}"' in img
    assert 'width="96" height="72"' in img
    assert "<img" not in lines[1]


def test_the_steppers_post_one_less_and_one_more(client, db):
    DeliveryMethodFactory()
    variant = stocked(stock=5)
    _add(client, variant, quantity=2)
    line = _lines(client.get("/cart").get_data(as_text=True))[0]
    forms = re.findall(r'<form method="post" action="/cart/update"[^>]*>(.*?)</form>', line, re.S)
    less = re.search(r'<button [^>]*name="quantity"[^>]*>', forms[0]).group(0)
    more = re.search(r'<button [^>]*name="quantity"[^>]*>', forms[2]).group(0)
    assert 'value="1"' in less and "disabled" not in less
    assert 'value="3"' in more and "disabled" not in more
    # Each stepper's form posts one quantity (two would be refused as a repeat).
    for form in (forms[0], forms[2]):
        assert len(re.findall(r'name="quantity"', form)) == 1
    csrf = _CSRF.search(forms[2]).group(1)
    line_id = re.search(r'name="line_id" value="(\d+)"', forms[2]).group(1)
    client.post("/cart/update", data={"csrf_token": csrf, "line_id": line_id, "quantity": "3"})
    line = _lines(client.get("/cart").get_data(as_text=True))[0]
    number = re.search(r'<input [^>]*class="form-control qty-input"[^>]*>', line).group(0)
    assert 'value="3"' in number
    # At the stock limit "+" is off; at one, "−" is.
    client.post("/cart/update", data={"csrf_token": csrf, "line_id": line_id, "quantity": "5"})
    line = _lines(client.get("/cart").get_data(as_text=True))[0]
    assert re.search(r'<button [^>]*value="6"[^>]*disabled', line, re.S)
    client.post("/cart/update", data={"csrf_token": csrf, "line_id": line_id, "quantity": "1"})
    line = _lines(client.get("/cart").get_data(as_text=True))[0]
    assert re.search(r'<button [^>]*value="0"[^>]*disabled', line, re.S)


def _summary(client):
    body = client.get("/cart").get_data(as_text=True)
    return body.split('data-testid="cart-subtotal"', 1)[1].split('class="btn btn-dark w-100', 1)[0]


def test_delivery_shows_the_cheapest_price_and_what_makes_it_free(client, db):
    DeliveryMethodFactory(name_en="Courier", price=Decimal("390.00"), free_from=Decimal("5000.00"))
    DeliveryMethodFactory(name_en="Post", price=Decimal("290.00"), free_from=None)
    DeliveryMethodFactory(name_en="Pickup", price=Decimal("0.00"), free_from=None,
                          needs_address=False)
    _add(client, stocked(price="1200.00"))
    client.get("/lang/en")
    summary = _summary(client)
    delivery = re.search(r'data-testid="cart-delivery">([^<]*)<', summary).group(1)
    assert delivery == "from ₽290.00"
    assert "₽0.00" not in summary
    assert "₽3,800.00 more for free delivery (Courier)." in summary


def test_delivery_is_free_not_from_zero_once_the_threshold_is_reached(client, db):
    DeliveryMethodFactory(price=Decimal("390.00"), free_from=Decimal("5000.00"))
    DeliveryMethodFactory(price=Decimal("290.00"), free_from=None)
    _add(client, stocked(price="2500.00"), quantity=2)
    summary = _summary(client)  # Russian: the shop's default language
    delivery = re.search(r'data-testid="cart-delivery">([^<]*)<', summary).group(1)
    assert delivery == "бесплатно"
    assert "0,00 ₽" not in summary.replace("5 000,00 ₽", "")
    assert 'data-testid="free-delivery-gap"' not in summary


def test_no_free_delivery_sentence_without_a_threshold(client, db):
    DeliveryMethodFactory(price=Decimal("390.00"), free_from=None)
    _add(client, stocked(price="1000.00"))
    summary = _summary(client)
    assert re.search(r'data-testid="cart-delivery">от 390,00\s₽<', summary)
    assert 'data-testid="free-delivery-gap"' not in summary
